from __future__ import annotations

from typing import Any

import pytest

from imvo.accounts.testing import make_user
from imvo.testing import adhere, make_org


@pytest.fixture
def fnv(world) -> Any:
    """A trade union that is a party to covenant X, with a user."""
    union = make_org("FNV Test Union", type="union")
    adhere(world.covenant_x, union)
    return make_user("fnv-user", union)


@pytest.fixture
def dhaka(world) -> Any:
    """Company A and company B both source from one factory (Dhaka Knit), on covenant
    X's public list for 2025 (K=3, a filler member discloses another factory)."""
    from imvo.supplychain import services as supply
    from imvo.supplychain.tests.helpers import csv_bytes, make_registry, publish_with_members

    factory = make_registry()[0]
    row = [[factory.name, factory.address, "Bangladesh"]]
    for member in (world.member_a, world.member_b):
        supply.upload_list(member, world.covenant_x, 2025, "list.csv", csv_bytes(row))
    publish_with_members(world.covenant_x, 2025, world.secretariat_x)
    return factory
