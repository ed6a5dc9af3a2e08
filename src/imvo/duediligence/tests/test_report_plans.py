"""Members' action plans in the public report (docs/security.md, T50): the themes
members act on and the share of actions on track came from every action plan
whatever the number of members behind them, while the assessments are hidden
below three assessed members. With one member's plan, the report showed its
themes ("Child labour 1") and its progress to the public, and to the one other
member of a small covenant, who knows the plan is not its own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from imvo.accounts.testing import make_user
from imvo.covenants.models import Theme
from imvo.duediligence.models import Action
from imvo.duediligence.report import NOT_SHOWN, report_sections
from imvo.duediligence.services import frameworks
from imvo.testing import adhere, make_org

from .helpers import GARMENT_ANSWERS, decided, handed_in

pytestmark = pytest.mark.django_db


def _plan(world, org, theme: Theme) -> None:
    Action.objects.create(
        covenant=world.covenant_x,
        organisation=org,
        theme=theme,
        what="Audit the dye house",
        owner="CSR lead",
        deadline=timezone.localdate() + timedelta(days=200),
        target="One audit",
    )


def _section(world) -> dict[str, Any]:
    (section,) = [s.as_dict("duediligence") for s in report_sections(world.covenant_x, 2025)]
    return section


@translation.override("en")
def test_one_members_action_plan_gives_no_public_theme_or_progress(world) -> None:
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    sub = handed_in(world.member_a, world.covenant_x, 2025, dict.fromkeys(GARMENT_ANSWERS, "yes"))
    decided(world, sub, "meets")
    child = Theme.objects.create(code="child-x", name_en="Child labour", name_nl="Kinderarbeid")
    _plan(world, world.company_a, child)
    section = _section(world)
    figures = {f["label"]: f["value"] for f in section["figures"]}
    assert figures["Actions done or on track"] == NOT_SHOWN
    assert all("prioritised" not in t["caption"] for t in section["tables"])
    assert "Child labour" not in str(section)
    for n in (2, 3):  # at three members with actions, both are shown
        org = make_org(f"Company {n}")
        adhere(world.covenant_x, org)
        make_user(organisation=org)
        _plan(world, org, child)
    section = _section(world)
    figures = {f["label"]: f["value"] for f in section["figures"]}
    assert figures["Actions done or on track"] != NOT_SHOWN
    [themes] = [t for t in section["tables"] if "prioritised" in t["caption"]]
    assert themes["rows"] == [["Child labour", 3]]
