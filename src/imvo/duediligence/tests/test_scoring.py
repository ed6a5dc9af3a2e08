"""Scoring is deterministic: known answers give a known score (worked examples)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imvo.core.errors import DomainError
from imvo.duediligence.models import (
    Question,
    Submission,
)
from imvo.duediligence.services import frameworks, scoring, submissions

from .helpers import GARMENT_ANSWERS, answer_all


def test_answer_fractions() -> None:
    assert scoring.answer_fraction("yesno", "yes") == 1
    assert scoring.answer_fraction("yesno", "partly") == Decimal("0.5")
    assert scoring.answer_fraction("yesno", "") == 0
    assert scoring.answer_fraction("level", "1") == 0
    assert scoring.answer_fraction("level", "4") == Decimal("0.75")
    assert scoring.answer_fraction("text", "anything") is None


def test_total_leaves_out_unscored_elements() -> None:
    assert scoring.total_score([(Decimal(40), Decimal(50)), (Decimal(60), None)]) == 50
    assert scoring.total_score([(Decimal(0), Decimal(50))]) is None


@given(
    st.lists(
        st.tuples(
            st.decimals(min_value=0, max_value=100, places=2),
            st.decimals(min_value=0, max_value=100, places=2),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_total_stays_within_element_scores(pairs: list[tuple[Decimal, Decimal]]) -> None:
    total = scoring.total_score(pairs)
    scored = [s for w, s in pairs if w > 0]
    if not scored:
        assert total is None
    else:
        assert total is not None
        assert min(scored) - Decimal("0.01") <= total <= max(scored) + Decimal("0.01")


@pytest.mark.django_db
def test_garment_worked_example(world) -> None:
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    card = scoring.scorecard(sub)
    by_code = {r.element.code: r.self_score for r in card.elements}
    # policy: (2*1 + 1*0.5 + 1*0) / 4; risk: 3 of 4; targets: (2 + 0 + 0.5 + 1) / 5
    assert by_code == {
        "policy": Decimal("62.50"),
        "risk-analysis": Decimal("75.00"),
        "targets-actions": Decimal("70.00"),
        "evaluation-communication": Decimal("66.67"),
        "stakeholders": Decimal("33.33"),
    }
    # (15*62.5 + 20*75 + 40*70 + 15*66.67 + 10*33.33) / 100 = 65.7085
    assert card.self_score == Decimal("65.71")
    assert card.suggested_decision == Submission.Decision.PARTLY


@pytest.mark.django_db
def test_maturity_worked_example(world) -> None:
    fw = frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "maturity")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    levels = {f"level-{n}": str(lv) for n, lv in zip(range(1, 7), [1, 2, 3, 4, 5, 3], strict=True)}
    answer_all(world.member_a, sub, levels)
    card = scoring.scorecard(sub)
    assert [r.self_score for r in card.elements] == [0, 25, 50, 75, 100, 50]
    assert card.self_score == Decimal("50.00")
    assert card.suggested_decision == Submission.Decision.MEETS
    assert fw.elements.count() == 6
    assert Question.objects.filter(element__framework=fw, kind="level").count() == 6


@given(st.one_of(st.text(max_size=12), st.sampled_from(["NaN", "sNaN", "inf", "-0", "1e1"])))
def test_review_score_parser_accepts_numbers_or_explains(raw: str) -> None:
    """Any text typed as a score is either a score 0-100 or a DomainError for the user."""

    try:
        got = scoring.parse_score(raw, "Policy")
    except DomainError as e:
        assert str(e).startswith("Policy:")
    else:
        assert got is None or Decimal(0) <= got <= 100
