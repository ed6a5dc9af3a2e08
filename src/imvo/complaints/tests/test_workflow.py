"""The case workflow: due dates, the transition table, reasons, what the company sees."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.complaints.models import State
from imvo.complaints.services import workflow
from imvo.complaints.tests.helpers import file
from imvo.core.errors import DomainError, PermissionDeniedError


def test_workflow_due_dates_and_transition_record(world):
    c = file(world).complaint
    assert c.state == State.RECEIVED
    assert c.due == timezone.localdate() + timedelta(days=7)
    c = workflow.check_move(world.secretariat_x, c, "acknowledged", "confirmed")
    assert c.due == timezone.localtime(c.filed_at).date() + timedelta(days=30)
    with pytest.raises(DomainError, match="cannot move"):
        workflow.check_move(world.committee_x, c, "decision", "x", decision_text="y")
    c = workflow.check_move(world.secretariat_x, c, "admissibility")
    with pytest.raises(PermissionDeniedError, match="Only the complaints committee"):
        workflow.check_move(world.secretariat_x, c, "admissible", "ok")
    with pytest.raises(DomainError, match="reasons"):
        workflow.check_move(world.committee_x, c, "admissible", "")
    c = workflow.check_move(world.committee_x, c, "admissible", "Within the covenant's scope")
    t = c.transitions.last()
    assert t is not None
    assert (t.from_state, t.to_state, t.by, t.reason) == (
        "admissibility",
        "admissible",
        world.committee_x,
        "Within the covenant's scope",
    )
    c = workflow.check_move(world.committee_x, c, "investigation")
    with pytest.raises(DomainError, match="Write the decision"):
        workflow.check_move(world.committee_x, c, "decision", "reasons")
    c = workflow.check_move(
        world.committee_x, c, "decision", "reasons", decision_text="Pay wages", remedy_agreed=True
    )
    assert c.decided_at and c.decision_text == "Pay wages" and c.remedy_agreed


def test_company_never_sees_anonymous_identity(world):
    c = file(
        world,
        respondent=world.company_a,
        name="Amina Begum",
        anonymous=True,
        share_identity_with_company=True,
    ).complaint
    assert not c.share_identity_with_company  # anonymity wins
    for s in ("acknowledged", "admissibility"):
        c = workflow.check_move(world.secretariat_x, c, s)
    c = workflow.check_move(world.committee_x, c, "admissible", "ok")
    workflow.check_post_message(world.committee_x, c, "For the committee only")
    workflow.check_post_message(world.committee_x, c, "Please answer", to_company=True)
    view = workflow.case_view(world.member_a, c, "company")
    assert view["identity"] == ""
    assert [m["body"] for m in view["case_messages"]] == ["Please answer"]
    assert "data" not in view
