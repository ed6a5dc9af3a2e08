"""Scoring is deterministic: known answers give a known score (worked examples)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imvo.core.errors import PermissionDeniedError
from imvo.duediligence import services
from imvo.duediligence.models import Question, Submission

from .helpers import GARMENT_ANSWERS, answer_all


def test_answer_fractions() -> None:
    assert services.answer_fraction("yesno", "yes") == 1
    assert services.answer_fraction("yesno", "partly") == Decimal("0.5")
    assert services.answer_fraction("yesno", "") == 0
    assert services.answer_fraction("level", "1") == 0
    assert services.answer_fraction("level", "4") == Decimal("0.75")
    assert services.answer_fraction("text", "anything") is None


def test_total_leaves_out_unscored_elements() -> None:
    assert services.total_score([(Decimal(40), Decimal(50)), (Decimal(60), None)]) == 50
    assert services.total_score([(Decimal(0), Decimal(50))]) is None


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
    total = services.total_score(pairs)
    scored = [s for w, s in pairs if w > 0]
    if not scored:
        assert total is None
    else:
        assert total is not None
        assert min(scored) - Decimal("0.01") <= total <= max(scored) + Decimal("0.01")


@pytest.mark.django_db
def test_garment_worked_example(world) -> None:
    services.install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    card = services.scorecard(sub)
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
def test_reviewer_element_score_overrides_answers(world) -> None:
    fw = services.install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    services.submit(world.member_a, sub)
    targets = fw.elements.get(code="targets-actions")
    services.review(
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


@pytest.mark.django_db
def test_maturity_worked_example(world) -> None:
    fw = services.install_framework(world.secretariat_x, world.covenant_x, "maturity")
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    levels = {f"level-{n}": str(lv) for n, lv in zip(range(1, 7), [1, 2, 3, 4, 5, 3], strict=True)}
    answer_all(world.member_a, sub, levels)
    card = services.scorecard(sub)
    assert [r.self_score for r in card.elements] == [0, 25, 50, 75, 100, 50]
    assert card.self_score == Decimal("50.00")
    assert card.suggested_decision == Submission.Decision.MEETS
    assert fw.elements.count() == 6
    assert Question.objects.filter(element__framework=fw, kind="level").count() == 6


@pytest.mark.django_db
def test_changed_weights_change_the_score(world) -> None:
    fw = services.install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    weights = {e.pk: (Decimal(1) if e.code == "policy" else Decimal(0)) for e in fw.elements.all()}
    services.set_weights(world.secretariat_x, fw, weights)
    assert services.scorecard(sub).self_score == Decimal("62.50")
    with pytest.raises(PermissionDeniedError):
        services.set_weights(world.secretariat_y, fw, weights)


@given(st.one_of(st.text(max_size=12), st.sampled_from(["NaN", "sNaN", "inf", "-0", "1e1"])))
def test_review_score_parser_accepts_numbers_or_explains(raw: str) -> None:
    """Any text typed as a score is either a score 0-100 or a DomainError for the user."""
    from imvo.core.errors import DomainError

    try:
        got = services._parse_score(raw, "Policy")
    except DomainError as e:
        assert str(e).startswith("Policy:")
    else:
        assert got is None or Decimal(0) <= got <= 100


@given(st.text(max_size=10), st.sampled_from(["yesno", "level", "text"]))
def test_answer_validation_never_crashes(raw: str, kind: str) -> None:
    from imvo.core.errors import DomainError

    q = Question(code="q1", kind=kind, text="?")
    try:
        clean = services.validate_answer(q, raw)
    except DomainError as e:
        assert "q1" in str(e)
    else:
        frac = services.answer_fraction(kind, clean)
        assert frac is None or Decimal(0) <= frac <= 1


@pytest.mark.django_db
def test_weights_out_of_range_are_refused(world) -> None:
    from imvo.core.errors import DomainError

    fw = services.install_framework(world.secretariat_x, world.covenant_x, "garment")
    el = fw.elements.first()
    for bad in (Decimal(-1), Decimal("1e50"), Decimal("NaN")):
        with pytest.raises(DomainError, match=r"999\.99"):
            services.set_weights(world.secretariat_x, fw, {el.pk: bad})  # type: ignore[union-attr]
