"""The escalation path and what it does to the member's adherence."""

from __future__ import annotations

import pytest

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, AdherenceChange
from imvo.duediligence.services import escalation, submissions

from .helpers import LATER

pytestmark = pytest.mark.django_db


def test_escalation_changes_adherence(world, fw) -> None:
    sec, cov, org = world.secretariat_x, world.covenant_x, world.company_b
    with pytest.raises(DomainError, match="reason"):
        escalation.check_record_escalation(sec, cov, org, "dialogue", "  ")
    escalation.check_record_escalation(sec, cov, org, "dialogue", "No action plan", deadline=LATER)
    escalation.check_record_escalation(sec, cov, org, "formal_notice", "Still none")
    with pytest.raises(DomainError, match="already at"):
        escalation.check_record_escalation(sec, cov, org, "dialogue", "back to talking")
    escalation.check_record_escalation(sec, cov, org, "suspension", "No plan after notice")
    adh = Adherence.objects.get(covenant=cov, organisation=org)
    assert adh.status == Adherence.Status.SUSPENDED
    assert AdherenceChange.objects.filter(adherence=adh, to_status="suspended").exists()
    # A suspended member is no longer a member for submissions.
    with pytest.raises(PermissionDeniedError):
        submissions.check_start_submission(world.member_b, cov, 2025)
    escalation.check_record_escalation(sec, cov, org, "exclusion", "Persistently falls short")
    adh.refresh_from_db()
    assert adh.status == Adherence.Status.WITHDRAWN
    with pytest.raises(DomainError, match="excluded"):
        escalation.check_record_escalation(sec, cov, org, "resolved", "oops")
    with pytest.raises(PermissionDeniedError):
        escalation.check_record_escalation(
            world.secretariat_y, cov, world.company_a, "dialogue", "x"
        )


def test_resolved_reinstates_a_suspended_member(world, fw) -> None:
    sec, cov, org = world.secretariat_x, world.covenant_x, world.company_a
    escalation.check_record_escalation(sec, cov, org, "suspension", "No plan")
    escalation.check_record_escalation(sec, cov, org, "resolved", "Plan approved")
    assert Adherence.objects.get(covenant=cov, organisation=org).status == "active"
    assert escalation.current_escalation(cov, org) is None
