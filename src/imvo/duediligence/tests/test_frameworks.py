"""Adapting a covenant's framework: weights within range, secretariat only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.duediligence.services import frameworks, scoring, submissions

from .helpers import GARMENT_ANSWERS, answer_all


@pytest.mark.django_db
def test_changed_weights_change_the_score(world) -> None:
    fw = frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    weights = {e.pk: (Decimal(1) if e.code == "policy" else Decimal(0)) for e in fw.elements.all()}
    frameworks.check_set_weights(world.secretariat_x, fw, weights)
    assert scoring.scorecard(sub).self_score == Decimal("62.50")
    with pytest.raises(PermissionDeniedError):
        frameworks.check_set_weights(world.secretariat_y, fw, weights)


@pytest.mark.django_db
def test_weights_out_of_range_are_refused(world) -> None:

    fw = frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    el = fw.elements.first()
    for bad in (Decimal(-1), Decimal("1e50"), Decimal("NaN")):
        with pytest.raises(DomainError, match=r"999\.99"):
            frameworks.check_set_weights(world.secretariat_x, fw, {el.pk: bad})  # type: ignore[union-attr]
