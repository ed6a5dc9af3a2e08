"""An organisation that left the covenant no longer reads its governance body's
papers, minutes and decisions through the seat it held (docs/security.md, T77)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.covenants.models import Adherence
from imvo.covenants.services import change_adherence, governance
from imvo.covenants.tests.test_papers import PDF
from imvo.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_withdrawn_seat_holder_reads_only_what_the_public_reads(world, settings, tmp_path):
    """Before: withdrawing left the seat in place, and `audience` counted the body
    from the seat alone: company A, withdrawn, still opened the steering group's
    meetings, its body-only papers, minutes and decisions."""
    settings.MEDIA_ROOT = tmp_path
    x, sec = world.covenant_x, world.secretariat_x
    body = governance.check_create_body(sec, x, "Stuurgroep", "Steering group")
    governance.check_add_seat(sec, body, "business", world.company_a)
    meeting = governance.check_schedule_meeting(sec, body, timezone.localdate() - timedelta(days=1))
    item = governance.check_add_agenda_item(
        sec, meeting, "Escalatie", "Escalation of member D",
        paper_upload=("escalation.pdf", PDF),
    )  # fmt: skip
    governance.check_record_minutes(sec, meeting, "Notulen", "Minutes", visibility="body")
    for vis in ("body", "public"):
        governance.check_record_decision(sec, body, vis, vis, visibility=vis)
    paper = f"/covenants/{x.slug}/papers/{item.pk}/"
    page = f"/covenants/{x.slug}/meetings/{meeting.pk}/"
    a = client_for(world.member_a, "en")
    assert a.get(paper).status_code == 200 and a.get(page).status_code == 200

    (adherence,) = Adherence.objects.filter(covenant=x, organisation=world.company_a)
    change_adherence(sec, adherence, Adherence.Status.WITHDRAWN, reason="Left the sector")
    assert a.get(paper).status_code == 404
    assert a.get(page).status_code == 404  # no public minutes or papers: nothing to read
    texts = sorted(d.text_en for d in governance.decisions_visible_to(world.member_a, x))
    assert texts == ["public"]
    assert not governance.meetings_visible_to(world.member_a, x).exists()
    # Suspended is still a party (as before): the seat reads on.
    change_adherence(sec, adherence, Adherence.Status.SUSPENDED, reason="Reporting overdue")
    assert a.get(paper).status_code == 200
