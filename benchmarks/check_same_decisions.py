"""Check: two versions of the matcher give the same candidates, levels and decisions.

Run once with each version of the code and compare the two dumps (the old version
from a checkout of its commit, `PYTHONPATH=<checkout>/src`), on chicago_dfss,
geoer_osm_fsq and the synthetic bench's list against its saved 1M index:

    PYTHONPATH=/tmp/old/src .venv/bin/python benchmarks/check_same_decisions.py dump old.json
    .venv/bin/python benchmarks/check_same_decisions.py dump new.json
    .venv/bin/python benchmarks/check_same_decisions.py compare old.json new.json

Per set the dump holds, per row, a digest of its decision (status, facility, score,
shown candidates, explanation) and of every scored candidate (facility, probability,
weight, support, look-alike, contradicted, record), and per comparison a digest of
every candidate pair's level (`score_candidates`, captured from the same run: pairs in
blocking's order), the weights, the term frequencies and the support flags; and the
match step's CPU seconds. `compare` prints the rows and arrays that differ; exits
non-zero on any. `--rows N` limits the synthetic list (0: skip it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")


def _digest(value: Any) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def _run(registry: Any, frame: Any) -> dict[str, Any]:
    from imvo.supplychain import matching

    captured: dict[str, Any] = {}
    score = matching.score_candidates

    def keep(*a: Any, **k: Any) -> Any:
        out = score(*a, **k)
        captured.update(out)
        return out

    matching.score_candidates = keep  # type: ignore[assignment]
    try:
        cpu = time.process_time()
        results = matching.match_frame(registry, frame)
        cpu = time.process_time() - cpu
    finally:
        matching.score_candidates = score  # type: ignore[assignment]
    rows = [
        _digest(
            (
                r.status,
                r.facility_id,
                r.score,
                r.candidates,
                r.explanation,
                [
                    (
                        c.facility_id,
                        c.probability,
                        c.weight,
                        c.support,
                        c.lookalike,
                        c.contradicted,
                        c.record,
                    )
                    for c in r.scored
                ],
            )
        )
        for r in results
    ]
    pairs = {"pairs": _digest((list(captured["rows"]), list(captured["idx"])))}
    for field, levels in captured["levels"].items():
        pairs[f"level {field}"] = _digest(np.asarray(levels).tolist())
    for key in ("weight", "tf", "support", "lookalike", "contradicted"):
        pairs[key] = _digest(np.asarray(captured[key]).tolist())
    return {"rows": rows, "arrays": pairs, "cpu": cpu, "pairs": len(captured["rows"])}


def dump(out: Path, n_rows: int) -> None:
    import polars as pl

    from imvo.supplychain import matching

    sys.path.insert(0, str(Path(__file__).parent))
    from bench_matching_real import load_task

    sets: dict[str, Any] = {}
    for name in ("chicago_dfss", "geoer_osm_fsq"):
        registry, rows, _ = load_task(name)
        sets[name] = _run(matching.prepare_registry(registry), rows)
        print(f"{name}: {sets[name]['pairs']:,} pairs, cpu {sets[name]['cpu']:.1f} s")
    if n_rows:
        from imvo.supplychain import parsing
        from imvo.supplychain.matching import store

        workdir = Path(
            os.environ.get(
                "IMVO_BENCH_DIR", str(Path(tempfile.gettempdir()) / "imvo-bench-supplychain")
            )
        )
        prepared = store.load(workdir / "index-1000000-1")
        path = workdir / "list-1000000-100000-1.csv"
        table = parsing.read_table(path.name, path.read_bytes(), max_rows=10**7, max_bytes=2**40)
        valid = [r for r in parsing.validate_rows(table, table.column_mapping()) if r.valid]
        valid = valid[:n_rows]
        frame = pl.DataFrame(
            {
                "name": [r.values["name"] for r in valid],
                "address": [r.values["address"] for r in valid],
                "country": [r.values["country_code"] for r in valid],
            }
        )
        sets["synthetic"] = _run(prepared, frame)
        print(
            f"synthetic: {sets['synthetic']['pairs']:,} pairs, cpu {sets['synthetic']['cpu']:.1f} s"
        )
    out.write_text(json.dumps(sets), encoding="utf-8")


def compare(old_path: Path, new_path: Path) -> bool:
    old = json.loads(old_path.read_text(encoding="utf-8"))
    new = json.loads(new_path.read_text(encoding="utf-8"))
    ok = True
    for name in old:
        if name not in new:
            print(f"{name}: missing in {new_path}")
            ok = False
            continue
        a, b = old[name], new[name]
        rows = sum(x != y for x, y in zip(a["rows"], b["rows"], strict=False))
        rows += abs(len(a["rows"]) - len(b["rows"]))
        arrays = [k for k in a["arrays"] if a["arrays"][k] != b["arrays"].get(k)]
        print(
            f"{name:<14} rows {len(a['rows']):>7,}  differing {rows}; pairs {a['pairs']:,} /"
            f" {b['pairs']:,}, arrays differing: {', '.join(arrays) or 'none'};"
            f" match cpu {a['cpu']:.1f} s -> {b['cpu']:.1f} s"
        )
        ok &= not rows and not arrays
    print("same decisions" if ok else "DECISIONS DIFFER")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--rows", type=int, default=100_000)
    c = sub.add_parser("compare")
    c.add_argument("old", type=Path)
    c.add_argument("new", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.rows)
    else:
        sys.exit(0 if compare(args.old, args.new) else 1)


if __name__ == "__main__":
    main()
