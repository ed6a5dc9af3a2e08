"""The live facility registry, prepared for matching once and kept on disk.

Every upload used to read all facilities and rebuild the blocking index (tens of
seconds at a million facilities). Now the prepared registry lives in
`VAR_DIR/matching/registry-index/` (see `matching.store`) and `current_registry`
brings it up to date before each use:

- facilities created since (ids above the stored highest id) are added to it
  (`store.add`, the cost of the new records only) and a new generation written;
- when facilities were merged away or deleted (the live count does not add up) or
  edited (`mark_stale`, called on every save of an existing facility), it is
  rebuilt from the database;
- a process keeps the generation it loaded in memory, so a worker reads the files
  once and afterwards only the new facilities.

Generations are directories written whole and then named in `CURRENT` (an atomic
rename), so a reader never sees a half-written index, and a restart finds the last
complete one. Writers take a file lock, so two workers never write at once.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Count, Max

from imvo.supplychain import matching
from imvo.supplychain.matching import store
from imvo.supplychain.matching.frame import registry_input
from imvo.supplychain.models import Facility

_lock = threading.Lock()
# (generation name, registry) of this process
_loaded: dict[str, tuple[str, matching.Registry]] = {}


def index_dir() -> Path:
    return Path(settings.IMVO_MATCHING_INDEX_DIR)


def facilities_frame(after_id: int = 0) -> pl.DataFrame:
    """Live facilities (merged ones excluded) with id > `after_id`, by id, as the
    matcher reads them (stored normalised name and address)."""
    qs = (
        Facility.objects.filter(merged_into__isnull=True, id__gt=after_id)
        .order_by("id")
        .values_list("id", "name_norm", "address_norm", "country", "lat", "lng")
    )
    return registry_input(qs)


def mark_stale() -> None:
    """An existing facility changed: the next use rebuilds the index."""
    root = index_dir()
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".stale-{uuid.uuid4().hex}"
    tmp.write_text(uuid.uuid4().hex, encoding="utf-8")
    os.replace(tmp, root / "STALE")


def _fingerprint(facility_id: int) -> str:
    """The values of one facility: the same ids with other facilities behind them (a
    database emptied and filled again, a restored backup) do not pass for the index's."""
    values = (
        Facility.objects.filter(pk=facility_id)
        .values_list("name_norm", "address_norm", "country")
        .first()
    )
    return "|".join(values) if values else ""


def _stale_token(root: Path) -> str:
    try:
        return (root / "STALE").read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


@contextmanager
def _file_lock(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with (root / "LOCK").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _current_name(root: Path) -> str | None:
    try:
        return (root / "CURRENT").read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def _write_generation(root: Path, registry: matching.Registry, state: dict[str, Any]) -> str:
    name = f"gen-{uuid.uuid4().hex[:12]}"
    store.save(registry, root / name)
    (root / name / "state.json").write_text(json.dumps(state), encoding="utf-8")
    tmp = root / f".current-{name}"
    tmp.write_text(name, encoding="utf-8")
    os.replace(tmp, root / "CURRENT")
    # Older generations are no longer named; a reader that loaded one keeps it in memory.
    for old in root.glob("gen-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return name


def _db_state() -> dict[str, Any]:
    agg = Facility.objects.filter(merged_into__isnull=True).aggregate(n=Count("id"), top=Max("id"))
    db = settings.DATABASES["default"]
    return {
        "count": int(agg["n"] or 0),
        "max_id": int(agg["top"] or 0),
        # Another database behind the same directory: rebuild.
        "database": f"{db.get('HOST', '')}:{db.get('PORT', '')}/{db.get('NAME', '')}",
    }


def current_registry(model: matching.Model | None = None) -> matching.Registry:
    """The live registry prepared for matching, up to date with the database."""
    root = index_dir()
    with _lock, _file_lock(root):
        registry, _name = _up_to_date(root)
    return dataclasses.replace(registry, model=model or matching.current_model())


def _up_to_date(root: Path) -> tuple[matching.Registry, str]:
    db = _db_state()
    stale = _stale_token(root)
    name = _current_name(root)
    state: dict[str, Any] = {}
    if name is not None:
        try:
            state = json.loads((root / name / "state.json").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            name = None
    if name is None or state.get("stale") != stale or state.get("database") != db["database"]:
        return _rebuild(root, db, stale)
    if state.get("last") != _fingerprint(state.get("max_id", 0)):
        return _rebuild(root, db, stale)  # the stored highest id is another facility now
    if db["max_id"] > state["max_id"] or db["count"] != state["count"]:
        added = facilities_frame(after_id=state["max_id"])
        if state["count"] + added.height != db["count"]:
            return _rebuild(root, db, stale)  # some facilities were merged away or deleted
        registry = store.add(_load(root, name), added, normalised=True)
        count = state["count"] + added.height
        return _keep(root, registry, count, max(state["max_id"], _max_id(added)), stale, db)
    return _load(root, name), name


def _load(root: Path, name: str) -> matching.Registry:
    cached = _loaded.get("registry")
    if cached is not None and cached[0] == name:
        return cached[1]
    registry = store.load(root / name)
    _loaded["registry"] = (name, registry)
    return registry


def _rebuild(root: Path, db: dict[str, Any], stale: str) -> tuple[matching.Registry, str]:
    frame = facilities_frame()
    registry = matching.prepare_registry(frame, normalised=True)
    return _keep(root, registry, frame.height, _max_id(frame), stale, db)


def _keep(
    root: Path, registry: matching.Registry, count: int, max_id: int, stale: str, db: dict[str, Any]
) -> tuple[matching.Registry, str]:
    """Write `registry` as a new generation, with the state the next use checks it
    against (facility count, highest id and its fingerprint, stale token, database),
    and keep it in this process."""
    state = {
        "count": count,
        "max_id": max_id,
        "stale": stale,
        "database": db["database"],
        "last": _fingerprint(max_id),
    }
    name = _write_generation(root, registry, state)
    _loaded["registry"] = (name, registry)
    return registry, name


def _max_id(frame: pl.DataFrame) -> int:
    return int(frame["id"].cast(pl.Int64).max() or 0)  # type: ignore[arg-type]


def forget_loaded() -> None:
    """Drop this process's in-memory copy (what a restart does)."""
    _loaded.clear()
