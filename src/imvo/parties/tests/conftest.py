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
    from imvo.supplychain.tests.helpers import factory_of_a_and_b_made_public

    return factory_of_a_and_b_made_public(world)
