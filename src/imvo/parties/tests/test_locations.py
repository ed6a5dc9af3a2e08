"""The union's view of the covenant's production locations: per country, under the
disclosure rule K (a country with fewer than K members is folded, never named)."""

from __future__ import annotations

import pytest

from imvo.accounts.testing import make_user
from imvo.core.errors import PermissionDeniedError
from imvo.parties.services.locations import location_overview
from imvo.testing import adhere, client_for, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def sourcing(world):
    """K=3. Companies A, B and D source in Bangladesh (the same factory and two more);
    only company A sources in Viet Nam."""
    from imvo.risk.models import RegisterEntry
    from imvo.supplychain import services as supply
    from imvo.supplychain.models import DisclosurePolicy
    from imvo.supplychain.tests.helpers import csv_bytes, make_registry

    x = world.covenant_x
    DisclosurePolicy.objects.create(covenant=x, min_members=3)
    registry = make_registry()
    dhaka, saigon = registry[0], registry[1]
    company_d = make_org("Company D")
    adhere(x, company_d)
    member_d = make_user("member-d", company_d)
    bd = [dhaka.name, dhaka.address, "Bangladesh"]
    lists = {
        world.member_a: [bd, [saigon.name, saigon.address, "Viet Nam"]],
        world.member_b: [bd, ["Chittagong Denim Mills", "Road 4, Chattogram", "Bangladesh"]],
        member_d: [["Narayanganj Socks Ltd", "Plot 3, Narayanganj", "Bangladesh"]],
    }
    for user, rows in lists.items():
        supply.upload_list(user, x, 2025, "list.csv", csv_bytes(rows))
    for org, country, theme, status in (
        (world.company_a, "BD", "forced-labour", "identified"),
        (world.company_b, "BD", "forced-labour", "acting"),
        (company_d, "BD", "forced-labour", "closed"),
        (world.company_a, "VN", "freedom-of-association", "identified"),
    ):
        RegisterEntry.objects.create(
            organisation=org, covenant=x, theme_code=theme, country=country, title="r",
            status=status,
        )  # fmt: skip
    return company_d


def test_countries_with_fewer_than_k_members_are_folded_into_other_countries(world, fnv, sourcing):
    o = location_overview(fnv, world.covenant_x)
    assert (o.k, o.members) == (3, 3)
    [bd] = o.lines
    assert (bd.country, bd.members, bd.locations) == ("BD", 3, 3)  # the shared factory once
    # Two members' registers (A's, B's; D's is closed) are fewer than K: not shown (T82).
    assert dict(bd.open_risks) == {} and bd.open_risks_total == 0
    # Viet Nam has one member: not named, and the bucket (1 member < K) is withheld.
    assert o.other is not None and o.other.withheld
    assert (o.other.locations, o.other.open_risks_total) == (0, 0)

    page = _page(fnv)
    assert "Bangladesh" in page and "Other countries" in page
    assert "Viet Nam" not in page and "Vietnam" not in page
    for name in ("Company A", "Company B", "Company D", "Saigon"):
        assert name not in page  # never a member, never a member's factory


def test_complaints_are_counted_per_country(world, fnv, sourcing):
    from imvo.complaints.tests.helpers import file

    file(world, facility={"id": 1, "name": "Mill", "country": "BD"})
    file(world, facility={"id": 2, "name": "Mill 2", "country": "VN"})
    o = location_overview(fnv, world.covenant_x)
    assert (o.lines[0].complaints_total, o.lines[0].complaints_open) == (1, 1)
    assert o.other is not None and o.other.complaints_total == 1  # VN folded, still counted


def test_only_unions_ngos_and_the_secretariat_see_it(world, fnv, sourcing):
    location_overview(world.secretariat_x, world.covenant_x)
    for outsider in (world.member_a, world.secretariat_y, world.member_c):
        with pytest.raises(PermissionDeniedError):
            location_overview(outsider, world.covenant_x)
        c = client_for(outsider)
        assert c.get("/parties/covenant-x/locations/").status_code == 404


def _page(user) -> str:
    c = client_for(user, "en")
    r = c.get("/parties/covenant-x/locations/")
    assert r.status_code == 200
    return r.content.decode()


def test_the_overview_asks_the_database_as_often_for_6_members_as_for_3(world, fnv, sourcing):
    """Each member's supplier list was read with its own queries (a covenant of 114 members)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imvo.supplychain import services as supply
    from imvo.supplychain.tests.helpers import csv_bytes

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            o = location_overview(fnv, world.covenant_x)
        return len(ctx.captured_queries), o.members

    queries()  # a first call fills what is kept between calls
    few, members = queries()
    assert members == 3
    for n in range(3):
        org = make_org(f"Member {n}")
        adhere(world.covenant_x, org)
        row = [f"Factory {n}", f"Road {n}, Chattogram", "Bangladesh"]
        supply.upload_list(make_user(f"member-{n}", org), world.covenant_x, 2025, "l.csv",
                           csv_bytes([row]))  # fmt: skip
    queries()  # three members joined: this read makes a new release (one insert more)
    many, members = queries()
    assert members == 6
    assert many == few


def _bd(o) -> tuple[int, int, int]:
    [bd] = o.lines
    return bd.members, bd.locations, bd.open_risks_total


def _a_adds_a_bangladesh_factory(world):
    """Company A's list replaced by one with a new factory in Bangladesh (its Dhaka
    and Saigon rows kept); the shared Dhaka factory is returned."""
    from imvo.supplychain import services as supply
    from imvo.supplychain.models import Facility
    from imvo.supplychain.tests.helpers import csv_bytes

    dhaka = Facility.objects.get(name__startswith="Dhaka")
    saigon = Facility.objects.get(name__startswith="Saigon")
    rows = [
        [dhaka.name, dhaka.address, "Bangladesh"],
        [saigon.name, saigon.address, "Viet Nam"],
        ["Gazipur Knitwear Ltd", "Road 9, Gazipur", "Bangladesh"],
    ]
    supply.upload_list(world.member_a, world.covenant_x, 2025, "l2.csv", csv_bytes(rows),
                       mode="replace")  # fmt: skip
    return dhaka


def test_one_members_change_reaches_the_union_only_with_k_members_changes(world, fnv, sourcing):
    """Live figures told a union keeping yesterday's page what one member changed today
    (T73): A's list replaced with one more Bangladesh row took BD from 3 to 4 locations."""
    from imvo.risk.models import RegisterEntry
    from imvo.supplychain import services as supply
    from imvo.supplychain.tests.helpers import csv_bytes

    x = world.covenant_x
    before = location_overview(fnv, x)
    assert _bd(before) == (3, 3, 0)  # forced labour: two registers, fewer than K
    dhaka = _a_adds_a_bangladesh_factory(world)
    after = location_overview(fnv, x)
    assert _bd(after) == (3, 3, 0)  # one member changed: the page is as released
    assert after.released == before.released is not None
    assert location_overview(fnv, x).lines[0].locations == 3  # and stays so on reading
    live = location_overview(world.secretariat_x, x)
    assert (_bd(live), live.changed, live.released) == ((3, 4, 0), 1, before.released)
    assert "1 member company changed" in _page(world.secretariat_x)
    # A second member adds a factory: still fewer than K changed.
    rows = [[dhaka.name, dhaka.address, "Bangladesh"],
            ["Chittagong Denim Mills", "Road 4, Chattogram", "Bangladesh"],
            ["Khulna Shirts Ltd", "Road 2, Khulna", "Bangladesh"]]  # fmt: skip
    supply.upload_list(world.member_b, x, 2025, "l2.csv", csv_bytes(rows), mode="replace")
    assert _bd(location_overview(fnv, x)) == (3, 3, 0)
    assert "Figures as released on" in _page(fnv)
    # The third (K=3) reopens its forced-labour risk: the union's page moves, by all
    # three at once (forced labour now has three registers behind it).
    RegisterEntry.objects.filter(organisation=sourcing).update(status="identified")
    assert location_overview(world.secretariat_x, x).changed == 3
    now = location_overview(fnv, x)
    assert _bd(now) == (3, 5, 3)  # 3 + A's and B's new factories; the shared one once
    assert dict(now.lines[0].open_risks) == {"Forced labour": 3}
    assert now.released is not None and now.released >= before.released
    assert location_overview(world.secretariat_x, x).changed == 0


def test_complaints_stay_live_under_the_released_countries(world, fnv, sourcing):
    """A complaint is not a member's disclosure: counted the day it is filed, under the
    country (or "Other countries") of the release the union reads."""
    from imvo.complaints.tests.helpers import file

    location_overview(fnv, world.covenant_x)
    file(world, facility={"id": 1, "name": "Mill", "country": "BD"})
    o = location_overview(fnv, world.covenant_x)
    assert o.lines[0].complaints_total == 1


def test_an_open_risk_count_of_fewer_than_k_registers_is_not_shown(world, fnv, sourcing):
    """K=3 members source in Bangladesh, so its line is named; its open risks per
    theme were counted over those K sourcing members, not over K registers: with
    only A keeping child-labour risks there the union read "Child labour: 2", A's
    register, and the line's total gave it away by subtraction too (T82)."""
    from imvo.risk.models import RegisterEntry

    for _n in range(2):
        RegisterEntry.objects.create(
            organisation=world.company_a, covenant=world.covenant_x, theme_code="child-labour",
            country="BD", title="r", status="identified",
        )  # fmt: skip
    [bd] = location_overview(fnv, world.covenant_x).lines
    assert dict(bd.open_risks) == {} and bd.open_risks_total == 0
    page = _page(fnv)
    assert "Child labour" not in page and "Forced labour" not in page
    # With K registers behind a theme it is shown, and the total is what is shown.
    for org in (world.company_b, sourcing):
        RegisterEntry.objects.create(
            organisation=org, covenant=world.covenant_x, theme_code="child-labour",
            country="BD", title="r", status="identified",
        )  # fmt: skip
    [bd] = location_overview(world.secretariat_x, world.covenant_x).lines
    assert dict(bd.open_risks) == {"Child labour": 4} and bd.open_risks_total == 4


def test_a_change_that_moves_no_figure_does_not_count_towards_k(world, fnv, sourcing):
    """B and D each open a risk in a theme shown for fewer than K registers: their
    changes move no figure. They counted towards K, so A's new factory alone made the
    next release, "3 -> 4 locations": one member's change, T73's leak (T83)."""
    from imvo.risk.models import RegisterEntry

    x = world.covenant_x
    before = location_overview(fnv, x)
    for org, theme in ((world.company_b, "living-wage"), (sourcing, "child-labour")):
        RegisterEntry.objects.create(
            organisation=org, covenant=x, theme_code=theme, country="BD", title="r",
            status="identified",
        )  # fmt: skip
    _a_adds_a_bangladesh_factory(world)
    assert location_overview(world.secretariat_x, x).changed == 1  # A's alone moves a figure
    after = location_overview(fnv, x)
    assert _bd(after) == (3, 3, 0) and after.released == before.released
