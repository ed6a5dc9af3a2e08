"""The operator level reads the whole list, not the worker's chunk: a long list whose
operator's sites fall into different chunks decides as the whole list (and as
`imvo match` on the same file) does."""

from __future__ import annotations

import polars as pl
import pytest
from django.utils import timezone

from imvo.supplychain import matching, services
from imvo.supplychain.matching import features
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import csv_bytes, make_facility
from imvo.supplychain.tests.test_matching import _OPERATOR_REGISTRY, _list

ROWS = [
    ("Henry Booth House Wee Care Nursery", "4601 N Sheridan Rd"),
    ("Henry Booth House Kiddie Kottage", "1946 W 87th St"),
    ("Henry Booth House Humpty Dumpty", "1126 W 99th St"),
]


def _registry() -> matching.Registry:
    return matching.prepare_registry(
        pl.DataFrame(
            {
                "id": [f"F{i}" for i in range(len(_OPERATOR_REGISTRY))],
                "name": [r[0] for r in _OPERATOR_REGISTRY],
                "address": [r[1] for r in _OPERATOR_REGISTRY],
                "country": [r[2] for r in _OPERATOR_REGISTRY],
            }
        )
    )


def _frame(rows: list[tuple[str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "name": [r[0] for r in rows],
            "address": [r[1] for r in rows],
            "country": ["US"] * len(rows),
        }
    )


def test_a_chunk_with_the_whole_lists_context_decides_as_the_whole_list() -> None:
    whole = _list(ROWS, _OPERATOR_REGISTRY)
    registry = _registry()
    context = matching.list_context(_frame(ROWS))
    assert context.prefixes["henry booth house wee care nursery"] == 3
    one = matching.match_frame(registry, _frame(ROWS[:1]), context=context)[0]
    alone = matching.match_frame(registry, _frame(ROWS[:1]))[0]
    assert (one.status, one.facility_id, one.score) == (
        whole[0].status,
        whole[0].facility_id,
        whole[0].score,
    )
    assert one.status == matching.AUTOMATIC
    # Without it the chunk of one row is a one-row list: no operator's name.
    assert alone.status != matching.AUTOMATIC


@pytest.mark.django_db
def test_an_upload_matched_in_chunks_reads_the_operator_of_the_whole_list(
    world, monkeypatch
) -> None:
    for name, address, country, _lat, _lng in _OPERATOR_REGISTRY:
        make_facility(name, address, country)
    monkeypatch.setattr(services, "CHUNK", 1)  # every row its own chunk
    sl = services.upload_list(
        world.member_a,
        world.covenant_x,
        timezone.now().year - 1,
        "sites.csv",
        csv_bytes([[n, a, "US"] for n, a in ROWS]),
    )
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error
    first = sl.rows.select_related("match__facility").get(number=2).match
    assert first.status == "automatic" and first.facility is not None
    assert first.facility.name == "Wee Care Nursery School"
    name = next(e for e in first.explanation if e["field"] == "name")
    assert name["level"] == features.OPERATOR_NAME_LEVEL
