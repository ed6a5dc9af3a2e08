"""Builders for the regulation tests: member A's submission handed in, with a risk,
an action, a remediation case and engagement entries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from imvo.duediligence.models import Submission
from imvo.duediligence.services import action_plan
from imvo.duediligence.tests.helpers import garment_setup, submitted
from imvo.regulation.models import EngagementEntry
from imvo.regulation.services import engagement
from imvo.risk import services as risk
from imvo.testing import adhere, make_org


def handed_in(w: Any) -> Submission:
    """Member A's 2025 submission in covenant X, with a register, plan and cases, handed in."""
    garment_setup(w)
    entry = risk.create_entry(
        w.member_a, w.company_a, "forced-labour", "Forced overtime at Dhaka Knit"
    )
    action = action_plan.check_save_action(
        w.member_a, w.covenant_x, what="=HYPERLINK(\"http://x\") audit", owner="QA",
        target="5 audits", deadline=timezone.localdate() + timedelta(days=60),
    )  # fmt: skip
    action_plan.check_save_case(
        w.member_a, w.covenant_x, what_happened="Unpaid overtime", affected="40 workers"
    )
    union = make_org("Union U", type="union")
    adhere(w.covenant_x, union)
    engagement.check_record(
        w.member_a, w.covenant_x, when=date(2025, 3, 1), kind=EngagementEntry.Kind.UNION,
        stakeholder="Union U", method=EngagementEntry.Method.MEETING, topic="Risk analysis",
        outcome="Two suppliers added", stakeholder_organisation=union.pk,
        register_entries=[entry.pk], actions=[action.pk],
    )  # fmt: skip
    return submitted(w)
