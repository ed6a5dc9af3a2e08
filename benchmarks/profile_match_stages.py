"""Where one synthetic upload's match step spends its CPU: per-function CPU and wall
seconds (timers wrapped around the matcher's functions, no profiler overhead), for the
list and registry index `bench_supplychain_match.py` leaves in its work directory.

    .venv/bin/python benchmarks/profile_match_stages.py [--rows 100000] [--registry 1000000]

Nested functions count in their callers too (score_candidates holds pair_levels, which
holds address_levels...). CPU time counts every thread; on a shared machine compare
CPU, not wall, and print the load average beside it.
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import tempfile
import time
from pathlib import Path
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--registry", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workdir",
        default=os.environ.get(
            "IMVO_BENCH_DIR", str(Path(tempfile.gettempdir()) / "imvo-bench-supplychain")
        ),
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
    import polars as pl

    import imvo.supplychain.matching as matching
    from imvo.supplychain import parsing
    from imvo.supplychain.matching import blocking, features, store

    workdir = Path(args.workdir)
    prepared = store.load(workdir / f"index-{args.registry}-{args.seed}")
    list_path = workdir / f"list-{args.registry}-100000-{args.seed}.csv"
    table = parsing.read_table(
        list_path.name, list_path.read_bytes(), max_rows=10**7, max_bytes=2**40
    )
    valid = [r for r in parsing.validate_rows(table, table.column_mapping()) if r.valid]
    valid = valid[: args.rows]
    frame = pl.DataFrame(
        {
            "name": [r.values["name"] for r in valid],
            "address": [r.values["address"] for r in valid],
            "country": [r.values["country_code"] for r in valid],
        }
    )
    spent: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0])

    def wrap(module: Any, name: str) -> None:
        fn = getattr(module, name)

        @functools.wraps(fn)
        def timed(*a: Any, **k: Any) -> Any:
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                entry = spent[name]
                entry[0] += time.process_time() - cpu
                entry[1] += time.perf_counter() - wall
                entry[2] += 1

        setattr(module, name, timed)

    for name in (
        "name_levels",
        "without_place_words",
        "address_levels",
        "name_number_levels",
        "abbreviated_contained",
        "joined_inside",
        "part_of_place",
        "shared_street",
    ):
        wrap(features, name)
    for name in (
        "score_candidates",
        "pair_levels",
        "_tf_counts",
        "_generic_extra",
        "_nearby_counts",
        "twin_counts",
        "decide",
        "explain",
        "rivals",
        "row_probability",
    ):
        wrap(matching, name)
    for name in ("candidates", "word_counts", "frequencies"):
        wrap(blocking, name)
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    cpu, wall = time.process_time(), time.perf_counter()
    matching.match_frame(prepared, frame)
    print(
        f"{len(frame):,} rows: match_frame cpu {time.process_time() - cpu:.1f} s, wall"
        f" {time.perf_counter() - wall:.1f} s (load average before: {load}, after:"
        f" {' '.join(f'{v:.1f}' for v in os.getloadavg())})"
    )
    for name, (c, w, calls) in sorted(spent.items(), key=lambda kv: -kv[1][0]):
        print(f"  {name:<24} cpu {c:7.2f} s  wall {w:7.2f} s  calls {calls:,}")


if __name__ == "__main__":
    main()
