"""The secretariat's assessment: revise or decide, every version kept; overdue improvements."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.duediligence.models import (
    Submission,
    SubmissionVersion,
)
from imvo.duediligence.services import frameworks, review, submissions

from .helpers import GARMENT_ANSWERS, LATER, answer_all, handed_in, submitted

pytestmark = pytest.mark.django_db


def test_full_cycle_with_revision_keeps_every_version(world, fw) -> None:
    sub = submitted(world)
    assert sub.status == Submission.Status.SUBMITTED
    assert sub.self_score == Decimal("65.71")
    # Submitted: the member can no longer change it.
    with pytest.raises(DomainError, match="can only be changed"):
        submissions.check_save_answers(world.member_a, sub, {})
    review.check_start_review(world.secretariat_x, sub)
    with pytest.raises(DomainError, match="Write feedback"):
        review.check_review(world.secretariat_x, sub, {}, "", "revise")
    review.check_review(world.secretariat_x, sub, {}, "Add actions for living wage.", "revise")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.REVISE
    answer_all(world.member_a, sub, {**GARMENT_ANSWERS, "all-themes": "yes"})
    submissions.check_submit(world.member_a, sub)
    with pytest.raises(DomainError, match="deadline for improvement"):
        review.check_review(world.secretariat_x, sub, {}, "Better.", "decide", "partly")
    review.check_review(world.secretariat_x, sub, {}, "Better.", "decide", "meets")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.DECIDED
    assert sub.decision == "meets"
    # (15*62.5 + 20*75 + 40*90 + 15*66.67 + 10*33.33) / 100
    assert sub.score == Decimal("73.71")
    versions = list(sub.versions.order_by("number"))
    assert [v.status for v in versions] == ["submitted", "revise", "submitted", "decided"]
    assert versions[0].data["self_score"] == "65.71"
    assert versions[3].data["assessed_score"] == "73.71"
    # Versions are immutable.
    with pytest.raises(DomainError):
        versions[0].save()
    assert SubmissionVersion.objects.filter(submission=sub).count() == 4


def test_only_the_covenants_secretariat_reviews(world, fw) -> None:
    sub = submitted(world)
    for user in (world.secretariat_y, world.member_a, world.member_b, world.committee_x):
        with pytest.raises(PermissionDeniedError):
            review.check_review(user, sub, {}, "x", "decide", "meets")
    with pytest.raises(PermissionDeniedError):
        review.review_queue(world.secretariat_y, world.covenant_x)


@pytest.mark.django_db
def test_reviewer_element_score_overrides_answers(world) -> None:
    fw = frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submitted(world)
    targets = fw.elements.get(code="targets-actions")
    review.check_review(
        world.secretariat_x,
        sub,
        {targets.pk: ("100", "all themes covered after all")},
        "Well done.",
        "decide",
        "meets",
    )
    sub.refresh_from_db()
    # 65.7085 + 40 * (100 - 70) / 100 = 77.7085 -> 77.71 (from rounded element scores)
    assert sub.score == Decimal("77.71")
    assert sub.self_score == Decimal("65.71")


def test_improvements_overdue(world, fw) -> None:
    from imvo.duediligence.models import Submission as S

    for user, decision in ((world.member_a, "partly"), (world.member_b, "does_not_meet")):
        sub = handed_in(user, world.covenant_x, 2024)
        review.check_review(world.secretariat_x, sub, {}, "improve", "decide", decision, LATER)
    after = LATER + timedelta(days=1)
    overdue = review.improvements_overdue(world.secretariat_x, world.covenant_x, after)
    assert {s.organisation for s in overdue} == {world.company_a, world.company_b}
    assert not review.improvements_overdue(world.secretariat_x, world.covenant_x).exists()
    # B meets the next year: no longer overdue.
    nxt = handed_in(world.member_b, world.covenant_x, 2025)
    review.check_review(world.secretariat_x, nxt, {}, "good", "decide", "meets")
    overdue = review.improvements_overdue(world.secretariat_x, world.covenant_x, after)
    assert [s.organisation for s in overdue] == [world.company_a]
    assert S.objects.filter(decision="meets").count() == 1


def test_queue_lists_members_not_started_and_reminds_them(world, fw) -> None:
    from django.core import mail

    from imvo.testing import adhere, make_org

    union = make_org("FNV", type="union")
    adhere(world.covenant_x, union)  # a union submits no due-diligence report
    submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    not_started = review.members_not_started(world.secretariat_x, world.covenant_x, 2025)
    assert [o.name for o in not_started] == ["Company B"]
    world.member_b.email = "b@company-b.example"
    world.member_b.save()
    assert review.check_remind_not_started(world.secretariat_x, world.covenant_x, 2025) == 1
    assert mail.outbox[-1].to == ["b@company-b.example"]
    with pytest.raises(PermissionDeniedError):
        review.members_not_started(world.secretariat_y, world.covenant_x, 2025)
