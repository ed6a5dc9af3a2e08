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


def test_a_seat_whose_term_ended_opens_nothing_until_renewed(world, settings, tmp_path):
    """Before: a seat counted whatever its term said: company A, its seat's term
    ended yesterday and not renewed, still downloaded the body-only papers and read
    the body's decisions (the body page marked the seat "term ended"). A seat
    counts only while its term runs; a term that has not started yet opens nothing
    either. Company A is still a party: it sees what the parties see."""
    from imvo.covenants.models import Seat

    settings.MEDIA_ROOT = tmp_path
    x, sec = world.covenant_x, world.secretariat_x
    today = timezone.localdate()
    body = governance.check_create_body(sec, x, "Stuurgroep", "Steering group")
    seat = governance.check_add_seat(
        sec, body, "business", world.company_a,
        term_start=today - timedelta(days=3 * 365), term_end=today - timedelta(days=1),
    )  # fmt: skip
    meeting = governance.check_schedule_meeting(sec, body, today - timedelta(days=1))
    item = governance.check_add_agenda_item(
        sec, meeting, "Escalatie", "Escalation of member D",
        paper_upload=("escalation.pdf", PDF),
    )  # fmt: skip
    for vis in ("body", "parties"):
        governance.check_record_decision(sec, body, vis, f"Decision for {vis}", visibility=vis)
    paper = f"/covenants/{x.slug}/papers/{item.pk}/"
    a = client_for(world.member_a, "en")

    def reads() -> tuple[int, list[str], list[str]]:
        """The paper's answer, the decisions listed and those on the workspace."""
        texts = sorted(d.text_en for d in governance.decisions_visible_to(world.member_a, x))
        workspace = a.get("/parties/").content.decode()
        on_workspace = [t for t in texts if t in workspace]
        return a.get(paper).status_code, texts, on_workspace

    only_parties = ["Decision for parties"]
    assert reads() == (404, only_parties, only_parties)
    assert "Decision for body" not in a.get("/parties/").content.decode()
    # Renewed by the secretariat: the seat reads again.
    Seat.objects.filter(pk=seat.pk).update(term_end=today + timedelta(days=365))
    both = ["Decision for body", "Decision for parties"]
    assert reads() == (200, both, both)
    # The last day of the term still counts; a term starting tomorrow does not yet.
    Seat.objects.filter(pk=seat.pk).update(term_end=today)
    assert reads()[0] == 200
    Seat.objects.filter(pk=seat.pk).update(term_start=today + timedelta(days=1), term_end=None)
    assert reads() == (404, only_parties, only_parties)
