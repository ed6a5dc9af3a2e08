"""The member's submission: draft, answers, handing in, versions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from imvo.core.errors import DomainError
from imvo.duediligence.models import (
    Question,
    Submission,
)
from imvo.duediligence.services import scoring, submissions
from imvo.risk.testing import severe_and_mild_risk

from .helpers import GARMENT_ANSWERS, answer_all, submitted

pytestmark = pytest.mark.django_db


def test_submit_needs_every_scored_answer(world, fw) -> None:
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, {"policy-adopted": "yes"})
    with pytest.raises(DomainError, match="Answer every question"):
        submissions.check_submit(world.member_a, sub)
    sub.refresh_from_db()
    assert sub.status == Submission.Status.DRAFT
    assert not sub.versions.exists()


def test_bad_answer_names_the_question(world, fw) -> None:
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    q = fw.elements.get(code="policy").questions.get(code="policy-adopted")
    with pytest.raises(DomainError, match="policy-adopted: answer yes, partly or no"):
        submissions.check_save_answers(world.member_a, sub, {q.pk: ("maybe", "")})


def test_year_must_be_within_the_covenant(world, fw) -> None:
    with pytest.raises(DomainError, match="cannot be started yet"):
        submissions.check_start_submission(
            world.member_a, world.covenant_x, timezone.localdate().year + 1
        )
    with pytest.raises(DomainError, match="started in 2024"):
        submissions.check_start_submission(world.member_a, world.covenant_x, 2023)


def test_no_framework_is_a_clear_error(world) -> None:
    with pytest.raises(DomainError, match="not yet published"):
        submissions.check_start_submission(world.member_a, world.covenant_x, 2025)


def test_next_year_carries_answers_over(world, fw) -> None:
    submitted(world)
    nxt = submissions.check_start_submission(world.member_a, world.covenant_x, 2026)
    assert nxt.status == Submission.Status.DRAFT
    assert scoring.scorecard(nxt).self_score == Decimal("65.71")


@given(st.text(max_size=10), st.sampled_from(["yesno", "level", "text"]))
def test_answer_validation_never_crashes(raw: str, kind: str) -> None:
    from imvo.core.errors import DomainError

    q = Question(code="q1", kind=kind, text="?")
    try:
        clean = submissions.validate_answer(q, raw)
    except DomainError as e:
        assert "q1" in str(e)
    else:
        frac = scoring.answer_fraction(kind, clean)
        assert frac is None or Decimal(0) <= frac <= 1


def test_submission_freezes_the_members_real_risk_register(world, fw) -> None:
    """The risk engine's register, read through the agreed interface, is snapshotted on submit."""
    from imvo.risk import services as risk

    severe, mild = severe_and_mild_risk(world, world.covenant_x)
    risk.create_entry(world.member_b, world.company_b, "child-labour", "Other member's risk")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    v = submissions.check_submit(world.member_a, sub)
    v.refresh_from_db()
    titles = [e["title"] for e in v.data["risk_register"]]
    assert titles == ["Forced labour in a quarry", "Overtime pay"]  # severe first (UNGP 24)
    assert v.data["risk_register"][0]["id"] == severe.pk
    # Later edits to the register do not change what was submitted.
    mild.title = "changed"
    mild.save()
    v.refresh_from_db()
    assert [e["title"] for e in v.data["risk_register"]] == titles


def test_a_copy_from_before_handing_in_cannot_hand_in_twice(world, fw) -> None:
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    submissions.check_submit(world.member_a, sub)
    assert sub.status == Submission.Status.DRAFT  # the caller's copy, not refreshed
    with pytest.raises(DomainError, match="This submission is Submitted"):
        submissions.check_submit(world.member_a, sub)
    assert sub.versions.count() == 1
