"""Time and memory of reading hostile supplier lists (docs/security.md, T37).

    .venv/bin/python benchmarks/bench_hostile_uploads.py [1m|line|quotes]

Each case builds its file in memory and reads it as the upload request does (the
head) and as the worker does (the whole file), printing seconds and the peak
resident memory of this process. Run one case per process: the peak is the
process's, not the case's.
"""

from __future__ import annotations

import resource
import sys
import time

from imvo.supplychain.parsing import ParseError, read_table

CASES = {
    # A million short rows: 20 MB, under the size limit, ten times the row limit.
    "1m": lambda: (
        b"name,address,country\n" + b"".join(b"F%d,R %d,BD\n" % (i, i) for i in range(1_000_000))
    ),
    # A header and one 24 MB line.
    "line": lambda: b"name,address,country\n" + b"A" * (24 * 1024 * 1024) + b"\n",
    # 300,000 rows, each opening a quote that never closes.
    "quotes": lambda: (
        b"name,address,country\n" + b"".join(b'"F%d,R %d,BD\n' % (i, i) for i in range(300_000))
    ),
}


def main(case: str) -> None:
    data = CASES[case]()
    print(f"{case}: {len(data) / 1e6:.1f} MB")
    for head in (50, None):
        start = time.perf_counter()
        try:
            outcome = f"read {len(read_table('big.csv', data, head=head).rows):,} rows"
        except ParseError as e:
            outcome = f"refused: {str(e)[:90]}"
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        label = "request (head)" if head else "worker (whole)"
        print(f"  {label}: {time.perf_counter() - start:.2f} s, peak {peak:.0f} MB, {outcome}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "1m")
