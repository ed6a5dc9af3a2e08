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
from imvo.supplychain.models import PublishedYear, SupplierList
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
    with pytest.raises(DomainError) as e:
        publication.publish_year(world.secretariat_x, world.covenant_x, YEAR - 1)
    assert f"differ from the public list of {YEAR} number 1, fewer than 5" in str(e.value)
    assert not PublishedYear.objects.filter(covenant=world.covenant_x, year=YEAR - 1).exists()
    # Once none differ (or K do), the year is published.
    _disclose(users[4], world.covenant_x, [DHAKA, SAIGON, ANATOLIA], YEAR - 1, mode="replace")
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR - 1)
    assert PublishedYear.objects.get(covenant=world.covenant_x, year=YEAR - 1).members == 5
    # Publishing a public year again is the secretariat's release (within-year rule).
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
