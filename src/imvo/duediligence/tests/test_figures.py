"""Covenant figures per year: aggregates the public report rests on."""

from __future__ import annotations

import pytest
from django.utils import translation

from imvo.accounts.testing import make_user
from imvo.duediligence.services import action_plan, figures, submissions
from imvo.testing import adhere, make_org

from .helpers import GARMENT_ANSWERS, LATER, decided, handed_in

pytestmark = pytest.mark.django_db


def test_covenant_figures(world, fw) -> None:
    from imvo.covenants.models import Theme

    # Three member companies in 2025: A meets, B does not, C only drafts.
    c = make_org("Company D")
    adhere(world.covenant_x, c)
    member_d = make_user("member_d", c)
    for user, decision, answers in (
        (world.member_a, "meets", {k: "yes" for k in GARMENT_ANSWERS}),
        (world.member_b, "does_not_meet", {k: "no" for k in GARMENT_ANSWERS}),
    ):
        sub = handed_in(user, world.covenant_x, 2025, answers)
        policy = fw.elements.get(code="policy")
        decided(world, sub, decision, {policy.pk: ("80", "")})
    submissions.check_start_submission(member_d, world.covenant_x, 2025)
    theme = Theme.objects.create(
        code="living-wage",
        name_nl="Leefbaar loon",
        name_en="Living wage",
        covenant=world.covenant_x,
    )
    for user in (world.member_a, world.member_b):
        action_plan.check_save_action(
            user, world.covenant_x, what="w", owner="o", target="t", theme=theme, deadline=LATER
        )
    f = figures.covenant_figures(world.covenant_x)
    (y,) = f["years"]
    assert y["year"] == 2025
    assert y["members"] == 3
    assert (y["submitted"], y["assessed"], y["meets"], y["does_not_meet"]) == (2, 2, 1, 1)
    assert y["share_assessed"] == 66.7
    assert y["share_meets"] == 50.0
    # Policy: both reviewed at 80; elsewhere A's answers give 100 and B's 0.
    assert y["elements"]["Policy and management"] == 80.0
    assert y["elements"]["Targets and actions for all themes"] == 50.0
    # A: 100 everywhere except policy 80 -> 97; B: 0 except policy 80 -> 12; mean 54.5
    assert y["mean_score"] == 54.5
    assert f["themes"] == [(theme.name, 2)]
    assert f["actions_total"] == 2
    # Element and theme names in the reader's language, as the page and report show them.
    with translation.override("nl"):
        dutch = figures.covenant_figures(world.covenant_x)
    assert dutch["years"][0]["elements"]["Beleid en management"] == 80.0
    assert dutch["themes"] == [("Leefbaar loon", 2)]


def test_element_rows_follow_first_appearance_and_leave_missing_years_empty() -> None:
    years = [
        {"year": 2024, "elements": {"Policy": 60.0, "Remedy": 20.0}},
        {"year": 2025, "elements": {"Policy": 70.0, "Grievance": 40.0}},
    ]
    assert figures.element_rows(years) == [
        ("Policy", [60.0, 70.0]),
        ("Remedy", [20.0, None]),
        ("Grievance", [None, 40.0]),
    ]
