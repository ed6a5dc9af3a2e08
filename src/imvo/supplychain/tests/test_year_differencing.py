"""Comparing two published years (docs/security.md, T49). Within a year, changes
reach the public list only in batches of K members; a new year was published
whatever it differed in from the years already public, so when the other members
carried their lists over, the new year's list minus the old one was what one
member changed (or the whole list of a member that joined)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from imvo.core.errors import DomainError
from imvo.supplychain import publication, services
from imvo.supplychain.models import PublicLocation, PublishedYear, SupplierList
from imvo.supplychain.tests.helpers import REGISTRY, csv_bytes, make_registry
from imvo.supplychain.tests.test_services import YEAR
from imvo.testing import adhere, make_org

DHAKA, SAIGON, ANATOLIA = (list(r) for r in REGISTRY[:3])


def _disclose(user: Any, covenant: Any, rows: list[list[str]], year: int, mode: str = "") -> None:
    sl = services.upload_list(user, covenant, year, "list.csv", csv_bytes(rows), mode=mode or None)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error


@pytest.mark.django_db
@translation.override("en")
def test_a_year_differing_from_a_public_year_in_fewer_than_k_members_waits(world) -> None:
    from imvo.accounts.testing import make_user

    make_registry()
    users = [world.member_a, world.member_b]
    for n in range(3, 6):
        org = make_org(f"Member {n}")
        adhere(world.covenant_x, org)
        users.append(make_user(organisation=org))
    # YEAR: every member in Dhaka and Saigon, the fifth also in Anatolia.
    for user in users[:4]:
        _disclose(user, world.covenant_x, [DHAKA, SAIGON], YEAR)
    _disclose(users[4], world.covenant_x, [DHAKA, SAIGON, ANATOLIA], YEAR)
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    # The year before: the same lists, but the fifth member had no Anatolia yet.
    for user in users[:4]:
        _disclose(user, world.covenant_x, [DHAKA, SAIGON], YEAR - 1)
    _disclose(users[4], world.covenant_x, [DHAKA, SAIGON], YEAR - 1)
    # The fifth member's change against YEAR is held back: its YEAR locations
    # stand in YEAR - 1's list (before 2026-12-07 the year could not be published).
    [status] = [s for s in publication.year_statuses(world.covenant_x) if s.year == YEAR - 1]
    assert (status.base, status.held) == (YEAR, 1)
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR - 1)
    assert _public(world.covenant_x, YEAR - 1) == _public(world.covenant_x, YEAR)
    assert PublishedYear.objects.get(covenant=world.covenant_x, year=YEAR - 1).waiting == 1
    # Publishing a public year again is the secretariat's release (within-year rule).
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)


def _public(covenant: Any, year: int) -> list[tuple[str, str, int]]:
    return sorted(
        PublicLocation.objects.filter(
            published_year__covenant=covenant, published_year__year=year
        ).values_list("name", "address", "members")
    )


def _members(world: Any, n: int = 5) -> list[Any]:
    from imvo.accounts.testing import make_user

    users = [world.member_a, world.member_b]
    for i in range(3, n + 1):
        org = make_org(f"Member {i}")
        adhere(world.covenant_x, org)
        users.append(make_user(organisation=org))
    return users


@pytest.mark.django_db
@translation.override("en")
def test_a_new_year_holds_back_fewer_than_k_members_changes(world, client) -> None:
    """T49's way forward: with one member's change since the public year, the new
    year is published with that member's previous public rows standing; its change
    waits until K members changed (or the secretariat publishes again)."""
    from django.conf import settings

    make_registry()
    users = _members(world)
    for user in users:
        _disclose(user, world.covenant_x, [DHAKA, SAIGON], YEAR - 1)
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR - 1)
    for user in users[:4]:
        _disclose(user, world.covenant_x, [DHAKA, SAIGON], YEAR)
    _disclose(users[4], world.covenant_x, [DHAKA, SAIGON, ANATOLIA], YEAR)  # one member adds

    client.force_login(world.secretariat_x)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"/supply-chain/publication/{world.covenant_x.slug}/"
    page = client.get(url).content.decode()
    assert (
        f"Publishing {YEAR} now holds back the change of 1 member against the public list of {YEAR - 1}"
        in page
    )
    answer = client.post(url, {"action": "publish", "year": YEAR}, follow=True).content.decode()
    assert f"The list for {YEAR} is public." in answer
    assert "The change of 1 member waits until 5 members have changed theirs." in answer
    assert _public(world.covenant_x, YEAR) == _public(world.covenant_x, YEAR - 1)
    assert ANATOLIA[0] not in {name for name, _a, _m in _public(world.covenant_x, YEAR)}
    # Another member's change joins the wait; with K members changed, all are shown.
    for user in users[:3]:
        _disclose(user, world.covenant_x, [DHAKA, SAIGON, ANATOLIA], YEAR, mode="replace")
        assert _public(world.covenant_x, YEAR) == _public(world.covenant_x, YEAR - 1)
    assert PublishedYear.objects.get(covenant=world.covenant_x, year=YEAR).waiting == 4
    _disclose(users[3], world.covenant_x, [DHAKA, SAIGON, ANATOLIA], YEAR, mode="replace")
    shown = _public(world.covenant_x, YEAR)
    assert ANATOLIA[0] in {name for name, _a, _m in shown} and shown != _public(
        world.covenant_x, YEAR - 1
    )


@pytest.mark.django_db
@translation.override("en")
def test_a_new_year_is_still_refused_when_another_public_year_differs_by_few(world) -> None:
    """Checked against the nearest public year, the new year may still differ from
    an older public year by the lists of 1..K-1 members: then it waits (T49)."""
    make_registry()
    users = _members(world)
    for user in users:
        _disclose(user, world.covenant_x, [DHAKA, SAIGON], YEAR - 2)
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR - 2)
    for user in users:  # every member adds Anatolia: a batch of K, YEAR - 1 is public
        _disclose(user, world.covenant_x, [DHAKA, SAIGON, ANATOLIA], YEAR - 1)
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR - 1)
    for user in users[:4]:  # back to YEAR - 2's lists
        _disclose(user, world.covenant_x, [DHAKA, SAIGON], YEAR)
    _disclose(users[4], world.covenant_x, [DHAKA, SAIGON, list(REGISTRY[3])], YEAR)
    # Against YEAR - 1 (the nearest) all five changed: nothing is held back. Against
    # YEAR - 2 only the fifth differs: the two lists would show its new location.
    with pytest.raises(DomainError) as e:
        publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    assert f"differ from the public list of {YEAR - 2} number 1, fewer than 5" in str(e.value)
