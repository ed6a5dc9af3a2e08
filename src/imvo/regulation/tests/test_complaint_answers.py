"""A member's CSDDD pack cites the covenant's complaint figures, never what a
complainant answered after closure (docs/security.md, T74)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from imvo.complaints.models import Complaint
from imvo.complaints.services import aftercare
from imvo.complaints.tests.helpers import file, move, walk_to_decision
from imvo.regulation.services import exports
from imvo.regulation.tests.helpers import handed_in


def test_the_respondents_pack_does_not_say_its_complainant_reported_retaliation(
    world, settings, tmp_path
) -> None:
    """Before: complaints-figures.json held "retaliation_reports": 1 and
    "remedy_satisfaction_percent": 0 for the year's only answered case, the case
    against this member, read the day the member asked for its pack."""
    settings.MEDIA_ROOT = tmp_path
    sub = handed_in(world)  # member A's 2025 submission
    c = walk_to_decision(world.committee_x, file(world, respondent=world.company_a).complaint,
                         remedy=True)  # fmt: skip
    c = move(world.committee_x, move(world.committee_x, c, "remediation"), "closed",
             ground="decided", remedy_carried_out=True)  # fmt: skip
    Complaint.objects.filter(pk=c.pk).update(filed_at=datetime(sub.year, 6, 1, 10, tzinfo=UTC))
    aftercare.do_ask_due_checks(timezone.localdate() + timedelta(days=100))
    aftercare.check_answer(c, "no", "yes", "The supervisor moved me to night shifts.")

    doc = exports.check_csddd_pack(world.member_a, sub.pk)
    with doc.file.open("rb") as fh:
        z = zipfile.ZipFile(io.BytesIO(fh.read()))
    figures = json.loads(z.read("complaints-figures.json"))
    assert figures["received"] == 1 and figures["remedies_carried_out"] == 1
    for name in z.namelist():
        if name.endswith(".json"):
            text = z.read(name).decode()
            assert "retaliation" not in text and "satisfaction" not in text, name
            assert "after_closure" not in text and "answered_cases" not in text, name
