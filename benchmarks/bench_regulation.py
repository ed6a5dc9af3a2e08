"""Benchmark: checking an EUDR plot file (every rule of `regulation.services.eudr`).

Makes N plots (half polygons of about 1.2 ha, half points with a declared area)
spread over Côte d'Ivoire and Ghana, each with six-decimal coordinates, and times

- ``check_rows``: all rules, the in-country check as one batched nearest-place
  query (one KD-tree search for the whole file), against
- the baseline: the same rules with the in-country check asked plot by plot
  (what a per-row validator would do).

Both must report the same errors (none here); the script checks that.

    .venv/bin/python benchmarks/bench_regulation.py [N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from decimal import Decimal


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    os.environ.setdefault("IMVO_VAR_DIR", tempfile.mkdtemp(prefix="imvo-bench-reg-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from imvo.regulation.services import eudr

    rng = random.Random(2027)
    # Inland boxes (lon, lat) well inside each country.
    boxes = {"CI": (-6.5, -5.0, 6.0, 7.5), "GH": (-2.0, -1.0, 6.5, 7.5)}

    def rows() -> list[eudr.PlotRow]:
        out = []
        for i in range(n):
            cc = "CI" if i % 2 else "GH"
            x0, x1, y0, y1 = boxes[cc]
            x = Decimal(f"{rng.uniform(x0, x1):.6f}")
            y = Decimal(f"{rng.uniform(y0, y1):.6f}")
            r = eudr.PlotRow(i + 1, plot_id=f"P{i}", commodity="cocoa", country=cc)
            if i % 4 < 2:
                d = Decimal("0.001000")
                ring = [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]
                r.geometry = {"type": "Polygon", "coordinates": [ring]}
            else:
                r.geometry = {"type": "Point", "coordinates": [x, y]}
                r.area_ha = "2.5"
            out.append(r)
        return out

    eudr.check_rows(rows()[:50])  # load the places and libraries once, outside both timings
    rng.seed(2027)
    batch_rows = rows()
    rng.seed(2027)
    naive_rows = rows()

    t = time.perf_counter()
    checked = eudr.check_rows(batch_rows)
    batched = time.perf_counter() - t

    real = eudr.place_country
    eudr.place_country = lambda points: [x for p in points for x in real([p])]  # type: ignore[assignment]
    try:
        t = time.perf_counter()
        naive = eudr.check_rows(naive_rows)
        per_plot = time.perf_counter() - t
    finally:
        eudr.place_country = real  # type: ignore[assignment]

    errors = [e.as_dict() for e in checked.errors]
    assert errors == [e.as_dict() for e in naive.errors], "the two paths disagree"
    print(f"plots checked: {n} ({n // 2} polygons, {n - n // 2} points), errors: {len(errors)}")
    print(
        f"check_rows, batched place lookup: {batched:.2f} s ({1000 * batched / n:.2f} ms per plot)"
    )
    print(
        f"baseline, place looked up per plot: {per_plot:.2f} s ({1000 * per_plot / n:.2f} ms per plot)"
    )
    print(f"speed-up: {per_plot / batched:.1f}x")


if __name__ == "__main__":
    main()
