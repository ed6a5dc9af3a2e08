"""Who is a member, who reviews, and which submissions each sees."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from imvo.accounts.testing import make_user
from imvo.core.errors import PermissionDeniedError
from imvo.covenants.models import Adherence
from imvo.duediligence.models import EscalationStep
from imvo.duediligence.services import access, escalation, review, submissions
from imvo.testing import adhere, make_org

from .helpers import submitted

pytestmark = pytest.mark.django_db


def test_secretariat_cannot_open_a_draft(world, fw) -> None:
    draft = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    with pytest.raises(access.NotFound):
        access.get_submission(world.secretariat_x, draft.pk)
    assert access.get_submission(world.member_a, draft.pk) == draft
    # It still shows in the queue as "draft", without its content.
    assert list(review.review_queue(world.secretariat_x, world.covenant_x, 2025)) == [draft]


def test_scoping_of_submissions(world, fw) -> None:
    sub = submitted(world)
    assert list(access.submissions_visible_to(world.member_a)) == [sub]
    assert not access.submissions_visible_to(world.member_b).exists()
    assert not access.submissions_visible_to(world.secretariat_y).exists()
    assert list(access.submissions_visible_to(world.secretariat_x)) == [sub]
    with pytest.raises(access.NotFound):
        access.get_submission(world.member_b, sub.pk)
    # A company in another covenant cannot open a submission there.
    with pytest.raises(PermissionDeniedError):
        submissions.check_start_submission(world.member_c, world.covenant_x, 2025)


def test_a_union_party_keeps_no_submission(world, fw) -> None:
    union = make_org("Union U", type="union")
    adhere(world.covenant_x, union)
    with pytest.raises(PermissionDeniedError):
        submissions.check_start_submission(make_user("u1", union), world.covenant_x, 2025)


def test_suspended_member_cannot_submit(world, fw) -> None:
    Adherence.objects.filter(organisation=world.company_a).update(status="suspended")
    with pytest.raises(PermissionDeniedError):
        submissions.check_start_submission(world.member_a, world.covenant_x, 2025)


def test_escalation_steps_follow_the_one_visibility_rule(world, fw) -> None:
    """Steps on a member's escalation path: the member and its covenant's secretariat."""
    step = escalation.check_record_escalation(
        world.secretariat_x, world.covenant_x, world.company_a, "dialogue", "No action plan"
    )
    assert list(EscalationStep.objects.visible_to(world.member_a)) == [step]
    assert list(EscalationStep.objects.visible_to(world.secretariat_x)) == [step]
    assert list(EscalationStep.objects.visible_to(world.admin)) == [step]
    for other in (world.member_b, world.secretariat_y, world.committee_x, AnonymousUser()):
        assert not EscalationStep.objects.visible_to(other).exists()
