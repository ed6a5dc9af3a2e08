"""The disclosure rule K on every public surface of joint-action figures.

A country or theme row of the CAP figures that rests on fewer than K joined
members must not be shown on its own (docs/collective-action.md, "Public
accountability without names"): not on /collective/public/<covenant>/, not in
the joint-action section of the public dashboard, not in a published yearly
report (HTML, snapshot) nor in its open data. Each surface is checked with the
same two cases: two joined members (folded) and three (named), so the test
cannot pass by showing nothing at all.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from imvo.collective.services import joint
from imvo.collective.services.figures import Tally, cap_figures, fold
from imvo.collective.tests.helpers import fire_safety_plan, share_a_facility
from imvo.reporting.services import publication
from imvo.supplychain.models import DisclosurePolicy

pytestmark = pytest.mark.django_db

COUNTRY = "Bangladesh"  # the shared facility's country (REGISTRY[0])
THEME = "Health and safety at work"


def _section(html: str, key: str) -> str:
    match = re.search(rf'<section[^>]*id="s-{key}".*?</section>', html, re.S)
    assert match, f"no {key} section"
    return match.group(0)


def _surfaces(client, world) -> dict[str, str]:
    """The text every public surface shows of the joint-action figures."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    slug = world.covenant_x.slug
    year = timezone.localdate().year
    public = client.get(f"/collective/public/{slug}/").content.decode()
    dashboard = _section(client.get(f"/reports/dashboard/{slug}/").content.decode(), "joint-action")
    edition = publication.publish_report(world.secretariat_x, world.covenant_x, year)
    snapshot = next(s for s in edition.snapshot["sections"] if s["key"] == "joint-action")
    report = _section(client.get(f"/reports/{slug}/{year}/").content.decode(), "joint-action")
    figures = client.get("/reports/open-data/report-figures.csv").content.decode()
    return {
        "public page": public,
        "dashboard": dashboard,
        "report snapshot": str(snapshot),
        "published report": report,
        "open data": figures,
    }


def _plan(world):
    shared = share_a_facility(world)  # A, B and D source at one facility in Bangladesh
    DisclosurePolicy.objects.update_or_create(
        covenant=world.covenant_x, defaults={"min_members": 3}
    )
    action, _item = fire_safety_plan(
        world.member_a, world.member_b, world.covenant_x, shared.facility.pk, due_in_days=9
    )
    return shared, action


def test_a_country_or_theme_of_fewer_than_k_joined_members_is_folded_everywhere(
    client, world
) -> None:
    _plan(world)  # two joined members, K = 3
    f = cap_figures(world.covenant_x)
    assert f.by_country == {} and f.by_theme == {}
    assert f.other_countries is not None and f.other_countries.items == 1
    assert f.total.items == 1  # the total still counts it
    for surface, text in _surfaces(client, world).items():
        assert COUNTRY not in text, f"{surface} names a country of two members"
        assert THEME not in text, f"{surface} names a theme of two members"
        if surface not in ("open data",):  # open data carries the figures, not the rows
            assert "Other countries" in text, surface


def test_a_country_of_k_joined_members_is_named(client, world) -> None:
    shared, action = _plan(world)
    joint.check_decide(shared.member_d, action, "join")  # the third member
    f = cap_figures(world.covenant_x)
    assert set(f.by_country) == {"BD"} and f.other_countries is None
    surfaces = _surfaces(client, world)
    for surface in ("public page", "dashboard", "report snapshot", "published report"):
        assert COUNTRY in surfaces[surface], surface
        assert THEME in surfaces[surface], surface


def test_the_other_row_never_rests_on_fewer_than_k_members() -> None:
    """Folding one small row alone would let the total minus the named rows give it away."""

    def t(members: set[int], items: int) -> Tally:
        return Tally(members=members, items=items)

    named, other = fold({"BD": t({1, 2, 3}, 5), "VN": t({4}, 1)}, 3)
    assert named == {} and other is not None and other.items == 6
    named, other = fold({"BD": t({1, 2, 3}, 5), "TR": t({1, 2, 3, 4}, 2), "VN": t({4}, 1)}, 3)
    assert set(named) == {"TR"} and other is not None and other.members == {1, 2, 3, 4}
    named, other = fold({"BD": t({1, 2, 3}, 5), "VN": t({4, 5, 6}, 1)}, 3)
    assert set(named) == {"BD", "VN"} and other is None
