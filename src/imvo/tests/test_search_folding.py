"""The complaint form's facility search and a union's signal search find Turkish and
accented names and addresses however they are typed (core.text.fold on both sides:
the stored columns and the query)."""

from __future__ import annotations

from typing import Any

import pytest

from imvo.complaints.services.filing import search_locations
from imvo.parties.services.signals import public_locations
from imvo.supplychain.tests.test_public_search import FINDS, turkish  # noqa: F401 (fixture)


@pytest.mark.usefixtures("turkish")
def test_the_complaint_and_signal_searches_fold_like_the_public_list(world: Any) -> None:
    for name, queries in FINDS.items():
        for query in queries:
            assert name in [f["name"] for f in search_locations(query, world.covenant_x)], query
            assert name in [f["name"] for f in public_locations(world.covenant_x, query)], query
