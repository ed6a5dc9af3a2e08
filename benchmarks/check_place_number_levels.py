"""Check: the vectorised `features.without_place_words` and `features.name_number_levels`
give the same levels as the per-pair Python they replaced, on every candidate pair of
real sets (and, with --synthetic, of the synthetic bench's list).

The two functions below (`reference_*`) are the code of commit b6b2081 word for word,
the per-pair loops that cost the synthetic bench ~20 s (docs/supplychain.md, "Scale").
For each set: the registry is prepared with the shipped model, the rows' candidate pairs
are blocked as `match_frame` blocks them, and

1. each function, old and new, on the same pairs (the place words with the registry's
   own `rare` counts, as `score_candidates` asks them): level arrays equal;
2. `score_candidates` run twice, with the new functions and with the reference ones
   patched in: every comparison level of every pair, the weights and the support flags
   equal.

Prints the pairs compared and the seconds of each function; exits non-zero on any
difference. Reads ../shared only here (a benchmark), never at run time.

    .venv/bin/python benchmarks/check_place_number_levels.py [--synthetic ROWS]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")

from imvo.supplychain.matching import features
from imvo.supplychain.matching.features import PLACE_WORDS_FROM, words


def reference_without_place_words(
    a: Sequence[str],
    b: Sequence[str],
    address_a: Sequence[str],
    address_b: Sequence[str],
    base: np.ndarray,
    rare: Any | None = None,
    keys: Any = None,
) -> np.ndarray:
    """features.without_place_words as of b6b2081 (`keys` ignored)."""
    out = base.copy()
    for k in np.flatnonzero(base >= PLACE_WORDS_FROM).tolist():
        aa, ba = address_a[k], address_b[k]
        if not aa or not ba:
            continue
        shared = words(aa) & words(ba)
        if shared.isdisjoint(words(a[k])) and shared.isdisjoint(words(b[k])):
            continue
        x = [w for w in a[k].split() if w not in shared]
        y = [w for w in b[k].split() if w not in shared]
        if x and y and "".join(x) == "".join(y) and (rare is None or rare(k, x)):
            out[k] = 1
    return out


def reference_name_number_levels(
    a: Sequence[str],
    b: Sequence[str],
    address_a: Sequence[str] | None = None,
    address_b: Sequence[str] | None = None,
    keys: Any = None,
) -> np.ndarray:
    """features.name_number_levels as of b6b2081 (`keys` ignored)."""
    if not len(a):
        return np.zeros(0, dtype=np.int8)
    f = (
        pl.DataFrame(
            {
                "a": list(a),
                "b": list(b),
                "aa": list(address_a) if address_a is not None else [""] * len(a),
                "ab": list(address_b) if address_b is not None else [""] * len(a),
            },
            schema={"a": pl.String, "b": pl.String, "aa": pl.String, "ab": pl.String},
        )
        .with_columns(
            shared=pl.col("aa")
            .str.extract_all(r"\d+")
            .list.set_intersection(pl.col("ab").str.extract_all(r"\d+"))
        )
        .with_columns(
            na=pl.col("a")
            .str.extract_all(r"\d+")
            .list.set_difference("shared")
            .list.unique()
            .list.sort(),
            nb=pl.col("b")
            .str.extract_all(r"\d+")
            .list.set_difference("shared")
            .list.unique()
            .list.sort(),
        )
    )
    level = (
        pl.when((pl.col("na").list.len() == 0) & (pl.col("nb").list.len() == 0))
        .then(0)
        .when(pl.col("na") == pl.col("nb"))
        .then(1)
        .when(
            (pl.col("na").list.set_difference("nb").list.len() > 0)
            & (pl.col("nb").list.set_difference("na").list.len() > 0)
        )
        .then(3)
        .otherwise(2)
    )
    return f.select(level.cast(pl.Int8)).to_series().to_numpy()


def _timed(fn: Any) -> tuple[Any, float]:
    started = time.process_time()
    out = fn()
    return out, time.process_time() - started


def check(label: str, registry: pl.DataFrame, rows: pl.DataFrame) -> bool:
    from imvo.supplychain import matching
    from imvo.supplychain.matching import blocking

    prepared = matching.prepare_registry(registry)
    clean = matching._clean(rows, normalised=False)
    pairs = blocking.candidates(prepared.index, clean)
    ri = pairs["row"].cast(pl.Int64).to_numpy()
    ji = pairs["idx"].cast(pl.Int64).to_numpy()
    names = matching._objects(clean["name"].to_list())
    addrs = matching._objects(clean["address"].to_list())
    countries = matching._objects(clean["country"].to_list())
    a, b = names[ri], prepared.names_arr[ji]
    aa, ab = addrs[ri], prepared.addresses_arr[ji]
    base = features.name_levels(a, b)

    def rare(k: int, remaining: list[str]) -> bool:
        keys = [f"{countries[ri[k]]}|w|{w}" for w in remaining]
        return min(blocking.frequencies(prepared.index, keys)) < features.GENERIC_WORD_COUNT

    ok = True
    new, t_new = _timed(lambda: features.without_place_words(a, b, aa, ab, base, rare, (ri, ji)))
    old, t_old = _timed(lambda: reference_without_place_words(a, b, aa, ab, base, rare))
    bare = features.without_place_words(a, b, aa, ab, base)  # no keys, no registry counts
    ok &= _report(label, "without_place_words", new, old, t_new, t_old)
    ok &= _report(
        label,
        "without_place_words (no keys)",
        bare,
        reference_without_place_words(a, b, aa, ab, base),
        0,
        0,
    )
    new, t_new = _timed(lambda: features.name_number_levels(a, b, aa, ab, (ri, ji)))
    old, t_old = _timed(lambda: reference_name_number_levels(a, b, aa, ab))
    ok &= _report(label, "name_number_levels", new, old, t_new, t_old)
    bare = features.name_number_levels(a, b)  # without the addresses, without keys
    ok &= _report(
        label, "name_number_levels (no addresses)", bare, reference_name_number_levels(a, b), 0, 0
    )

    # Every level of every pair, as score_candidates computes them.
    scored_new = matching.score_candidates(prepared, clean, pairs)
    saved = features.without_place_words, features.name_number_levels
    features.without_place_words = reference_without_place_words  # type: ignore[assignment]
    features.name_number_levels = reference_name_number_levels  # type: ignore[assignment]
    try:
        scored_old = matching.score_candidates(prepared, clean, pairs)
    finally:
        features.without_place_words, features.name_number_levels = saved
    for field, level in scored_old["levels"].items():
        ok &= _report(label, f"score_candidates: {field}", scored_new["levels"][field], level, 0, 0)
    for key in ("weight", "support", "tf"):
        ok &= _report(label, f"score_candidates: {key}", scored_new[key], scored_old[key], 0, 0)
    return ok


def _report(label: str, what: str, new: Any, old: Any, t_new: float, t_old: float) -> bool:
    new, old = np.asarray(new), np.asarray(old)
    differ = int((new != old).sum()) if new.shape == old.shape else -1
    seconds = f"  cpu {t_new:6.2f} s (old {t_old:6.2f} s)" if t_old else ""
    print(f"  {label:<14} {what:<38} pairs {len(old):>9,}  differing {differ}{seconds}")
    return differ == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--synthetic", type=int, default=0, help="also this many rows of the synthetic bench"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_matching_real import load_task

    ok = True
    for name in ("chicago_dfss", "geoer_osm_fsq"):
        registry, rows, _ = load_task(name)
        ok &= check(name, registry, rows)
    if args.synthetic:
        import tempfile

        from bench_supplychain_match import generate

        workdir = Path(tempfile.gettempdir()) / "imvo-bench-supplychain"
        reg_path, list_path, _ = generate(workdir, 1_000_000, 100_000, 1)
        registry = pl.read_csv(reg_path, infer_schema=False)
        listed = pl.read_csv(list_path, infer_schema=False).head(args.synthetic)
        from imvo.supplychain.normalise import normalise_country

        rows = pl.DataFrame(
            {
                "name": listed["Factory name"],
                "address": listed["Address"],
                "country": [normalise_country(c) or "" for c in listed["Country"].to_list()],
            }
        )
        ok &= check("synthetic", registry, rows)
    print("same levels" if ok else "LEVELS DIFFER")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
