"""What the benchmark scripts share: where the repository and the real data are,
the labelled Open Supply Hub pairs, and how time and memory are read.

Scripts run as ``.venv/bin/python benchmarks/bench_x.py``, so this folder is on the
import path and ``import harness`` finds this module; importing it puts the
project's ``src`` on the path too.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imvo.supplychain.matching.train import Pair

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

# Real data, for evaluation only (never copied into the project):
# $IMVO_SHARED_DATA, else ../shared/data beside the repository.
SHARED_DATA = Path(os.environ.get("IMVO_SHARED_DATA") or ROOT.parent / "shared" / "data")
OSH_PAIRS = SHARED_DATA / "open-supply-hub" / "labelled_pairs.json"


def osh_labelled_pairs() -> list[tuple[dict[str, str], dict[str, str], Pair]]:
    """Open Supply Hub's 112 labelled facility pairs (its dedupe training file), each
    as the two records and the matcher's `Pair` (name and address, match or not)."""
    from imvo.supplychain.matching.train import Pair

    data = json.loads(OSH_PAIRS.read_text(encoding="utf-8"))
    out = []
    for label, is_match in (("match", True), ("distinct", False)):
        for item in data[label]:
            a, b = item["__value__"]
            # The records carry no coordinates.
            pair = Pair(
                name=a["name"],
                address=a["address"],
                lat=None,
                lng=None,
                other_name=b["name"],
                other_address=b["address"],
                other_lat=None,
                other_lng=None,
                is_match=is_match,
            )
            out.append((a, b, pair))
    return out


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """The fastest of `repeat` runs of `fn`, in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best
