"""The prepared registry kept on disk: built once, added to, rebuilt when facilities
change, the same after a restart, and the same as preparing everything at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from imvo.supplychain import matching, registry_index, synthetic
from imvo.supplychain.matching import blocking, store
from imvo.supplychain.models import Facility
from imvo.supplychain.normalise import normalise_address, normalise_name


def _frame(facilities: list[synthetic.Facility]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [f.id for f in facilities],
            "name": [f.name for f in facilities],
            "address": [f.address for f in facilities],
            "country": [f.country for f in facilities],
        }
    )


def _decisions(registry: matching.Registry, rows: pl.DataFrame) -> list[tuple[Any, ...]]:
    return [
        (m.status, m.facility_id, m.score, m.candidates)
        for m in matching.match_frame(registry, rows)
    ]


def test_adding_to_a_saved_registry_equals_preparing_it_whole(tmp_path: Path) -> None:
    facilities = list(synthetic.facilities(3000, seed=11))
    # A small max_block, so keys reach the cap and the cap's rule is exercised too.
    settings = blocking.Blocking(max_block=5)
    whole = matching.prepare_registry(_frame(facilities), settings=settings)
    store.save(
        matching.prepare_registry(_frame(facilities[:2000]), settings=settings), tmp_path / "a"
    )
    grown = store.load(tmp_path / "a")
    grown = store.add(grown, _frame(facilities[2000:2600]))
    grown = store.add(grown, _frame(facilities[2600:]))

    for part in ("keys", "freq", "cells"):
        cols = ["kid", "idx"] if part == "keys" else ["kid"] if part == "freq" else ["idx"]
        assert getattr(whole.index, part).sort(cols).equals(getattr(grown.index, part).sort(cols))
    assert whole.index.size == grown.index.size == 3000
    assert whole.name_counts == grown.name_counts
    assert whole.ids == grown.ids and whole.names == grown.names

    rows = pl.DataFrame(
        {
            "name": [f.name.upper() for f in facilities[::50]],
            "address": [f.address for f in facilities[::50]],
            "country": [f.country for f in facilities[::50]],
        }
    )
    assert _decisions(whole, rows) == _decisions(grown, rows)


def _facility(name: str, address: str, country: str = "BD") -> Facility:
    return Facility.objects.create(
        name=name,
        address=address,
        country=country,
        name_norm=normalise_name(name),
        address_norm=normalise_address(address),
    )


def _row(name: str, address: str, country: str = "BD") -> pl.DataFrame:
    return pl.DataFrame({"name": [name], "address": [address], "country": [country]})


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the registry index was rebuilt")

    monkeypatch.setattr(matching, "prepare_registry", refuse)


@pytest.mark.django_db
def test_a_new_facility_is_found_after_an_incremental_update(monkeypatch) -> None:
    for i in range(30):
        _facility(f"Sunrise Garments {i} Ltd", f"Plot {i}, Road 7, Gazipur")
    first = registry_index.current_registry()
    assert len(first) == 30
    row = _row("Meghna Knit Composite", "Plot 88, Tongi Industrial Area, Gazipur")
    assert matching.match_frame(first, row)[0].facility_id is None

    _no_rebuild(monkeypatch)  # from here on only additions: never a full rebuild
    added = _facility("Meghna Knit Composite Ltd", "Plot 88, Tongi Industrial Area, Gazipur")
    second = registry_index.current_registry()
    assert len(second) == 31
    assert matching.match_frame(second, row)[0].facility_id == added.id
    # The in-memory copy it replaced is untouched (a reader holding it stays consistent).
    assert len(first) == 30


@pytest.mark.django_db
def test_the_index_survives_a_restart_and_equals_a_fresh_build(monkeypatch) -> None:
    for i, f in enumerate(synthetic.facilities(400, seed=5)):
        _facility(f.name, f.address, f.country)
        if i == 200:
            registry_index.current_registry()  # built here, the rest added later
    before = registry_index.current_registry()

    registry_index.forget_loaded()  # a new process: only the files remain
    fresh = matching.prepare_registry(registry_index.facilities_frame(), normalised=True)
    _no_rebuild(monkeypatch)
    after = registry_index.current_registry()
    assert after is not before and after.ids == before.ids == fresh.ids
    assert after.index.keys.sort("kid", "idx").equals(fresh.index.keys.sort("kid", "idx"))
    rows = pl.DataFrame(
        {
            "name": [f.name_norm for f in Facility.objects.order_by("id")[::20]],
            "address": [f.address_norm for f in Facility.objects.order_by("id")[::20]],
            "country": [f.country for f in Facility.objects.order_by("id")[::20]],
        }
    )
    assert _decisions(after, rows) == _decisions(fresh, rows)


@pytest.mark.django_db
def test_an_edited_or_merged_facility_rebuilds_the_index() -> None:
    keep = _facility("Padma Textiles", "12 Mirpur Road, Dhaka")
    dup = _facility("Padma Textile Mills", "12 Mirpur Rd, Dhaka")
    assert len(registry_index.current_registry()) == 2

    keep.name, keep.name_norm = "Jamuna Denim", normalise_name("Jamuna Denim")
    keep.save()
    edited = registry_index.current_registry()
    assert "jamuna denim" in edited.names

    dup.merged_into = keep
    dup.save()
    assert registry_index.current_registry().ids == [keep.id]


@pytest.mark.django_db
def test_a_lost_or_broken_index_is_rebuilt() -> None:
    _facility("Karnaphuli Shoes", "45 Export Zone, Chittagong")
    registry_index.current_registry()
    root = registry_index.index_dir()
    current = (root / "CURRENT").read_text()
    (root / current / "state.json").unlink()
    registry_index.forget_loaded()
    assert len(registry_index.current_registry()) == 1


@pytest.mark.django_db
def test_ids_that_name_other_facilities_rebuild_the_index() -> None:
    """A database emptied and filled again, or a restored backup, may reuse ids: the
    highest id's values are checked, not only the count and the id."""
    _facility("Karnaphuli Shoes", "45 Export Zone, Chittagong")
    last = _facility("Rupsha Fish Processing", "Khulna Road 3, Khulna")
    registry_index.current_registry()
    # Behind the signals' back (an update() sends none).
    Facility.objects.filter(pk=last.pk).update(name_norm="meghna seafood")
    assert "meghna seafood" in registry_index.current_registry().names
