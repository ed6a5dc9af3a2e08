"""Benchmark: facility matching on real, human-labelled data (not ours).

Sets (from ../shared/data, evaluation only, never copied into the project):
- matching-benchmarks/chicago_dfss: two Chicago data sets of the same sites;
- matching-benchmarks/geoer_osm_fsq: OpenStreetMap vs Foursquare places in
  Singapore (SG), Edinburgh (GB), Toronto (CA), Pittsburgh (US), coordinates;
- open-supply-hub/labelled_pairs.json: 112 labelled facility pairs.

Held out: the model scoring a set is estimated without that set (for
geoer, without its CA+US cities): chicago is scored by a model from geoer + OSH
pairs; geoer CA+US by one from geoer SG+GB + chicago + OSH (and SG+GB the other way
round); the OSH pairs by
one from chicago + geoer. Printed beside the previous matcher
(`baseline_matcher.py`, the code before issue 13) and the shipped model (which
has seen all sets: an upper line, not a held-out figure).

Figures per set: automatic precision, automatic recall (of rows whose place is
in the registry), share pending (left for a person), candidate recall (true
record among the scored candidates), and seconds.

    .venv/bin/python benchmarks/bench_matching_real.py [--write-model]

--write-model re-estimates the shipped src/imvo/supplychain/matching/model.json
from all sets (what `imvo match train --shared` does too).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

SHARED_DATA = Path(
    os.environ.get("IMVO_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
TASKS = SHARED_DATA / "matching-benchmarks"
OSH_PAIRS = SHARED_DATA / "open-supply-hub" / "labelled_pairs.json"


def load_task(name: str):  # type: ignore[no-untyped-def]
    import polars as pl

    d = TASKS / name
    registry = pl.read_csv(d / "registry.csv", infer_schema=False)
    rows = pl.read_csv(d / "list.csv", infer_schema=False)
    for col in ("lat", "lng"):
        for f in (registry, rows):
            if col in f.columns:
                pass
    truth: dict[int, set[str]] = {}
    with (d / "truth.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            truth[int(r["row"])] = {x for x in r["registry_id"].split("|") if x}
    truth_list = [truth.get(i + 2, set()) for i in range(rows.height)]
    return registry, rows, truth_list


def osh_pairs():  # type: ignore[no-untyped-def]
    from imvo.supplychain.matching.train import Pair

    data = json.loads(OSH_PAIRS.read_text(encoding="utf-8"))
    out = []
    for label, is_match in (("match", True), ("distinct", False)):
        for item in data[label]:
            a, b = item["__value__"]
            out.append(
                (
                    a,
                    b,
                    Pair(
                        a["name"],
                        a["address"],
                        None,
                        None,
                        b["name"],
                        b["address"],
                        None,
                        None,
                        is_match,
                    ),
                )
            )
    return out


def figures(results, truth) -> dict[str, float]:  # type: ignore[no-untyped-def]
    auto = auto_ok = pending = 0
    positives = sum(1 for t in truth if t)
    for r, t in zip(results, truth, strict=True):
        if r.status == "automatic":
            auto += 1
            auto_ok += str(r.facility_id) in t
        elif r.status == "pending":
            pending += 1
    return {
        "precision": auto_ok / auto if auto else float("nan"),
        "recall": auto_ok / positives if positives else float("nan"),
        "pending": pending / len(truth) if truth else float("nan"),
    }


def run_new(registry, rows, truth, model):  # type: ignore[no-untyped-def]
    """Figures of the new matcher with `model` on one task."""
    from imvo.supplychain import matching

    started = time.perf_counter()
    prepared = matching.prepare_registry(registry, model=model)
    results = matching.match_frame(prepared, rows)
    out = figures(results, truth)
    out["seconds"] = time.perf_counter() - started
    return out


def run_old(registry, rows, truth):  # type: ignore[no-untyped-def]
    import baseline_matcher as old

    started = time.perf_counter()
    prepared = old.prepare_registry(registry.select("id", "name", "address", "country"))
    results = old.match_frame(prepared, rows.select("name", "address", "country"))
    out = figures(results, truth)
    out["seconds"] = time.perf_counter() - started
    return out


def osh_figures(model, pairs, old: bool = False) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Each labelled pair as a one-row list against a one-facility registry."""
    import polars as pl

    from imvo.supplychain import matching

    auto = auto_ok = pending = 0
    positives = sum(1 for _, _, p in pairs if p.is_match)
    for a, b, p in pairs:
        reg = pl.DataFrame(
            {
                "id": ["b"],
                "name": [b["name"]],
                "address": [b["address"]],
                "country": [b["country"].upper()],
            }
        )
        row = pl.DataFrame(
            {"name": [a["name"]], "address": [a["address"]], "country": [a["country"].upper()]}
        )
        if old:
            import baseline_matcher as om

            res = om.match_frame(om.prepare_registry(reg), row)[0]
        else:
            res = matching.match_frame(matching.prepare_registry(reg, model=model), row)[0]
        if res.status == "automatic":
            auto += 1
            auto_ok += p.is_match
        elif res.status == "pending":
            pending += 1
    return {
        "precision": auto_ok / auto if auto else float("nan"),
        "recall": auto_ok / positives,
        "pending": pending / len(pairs),
        "seconds": 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-model", action="store_true")
    ap.add_argument("--skip-old", action="store_true")
    a = ap.parse_args()

    import polars as pl

    from imvo.supplychain.matching import model as model_mod
    from imvo.supplychain.matching import train

    chicago = load_task("chicago_dfss")
    geo_reg, geo_rows, geo_truth = load_task("geoer_osm_fsq")
    pairs = osh_pairs()

    def split(countries: set[str]):  # type: ignore[no-untyped-def]
        keep = geo_rows["country"].is_in(list(countries))
        rows = geo_rows.filter(keep)
        truth = [t for t, k in zip(geo_truth, keep.to_list(), strict=True) if k]
        return geo_reg.filter(pl.col("country").is_in(list(countries))), rows, truth

    geo_train, geo_test = split({"SG", "GB"}), split({"CA", "US"})
    started = time.perf_counter()
    m_chicago, cr_chicago = train.model_from_task(*chicago, label="chicago_dfss")
    m_geo_train, cr_geo_train = train.model_from_task(*geo_train, label="geoer_osm_fsq SG+GB")
    m_geo_test, cr_geo_test = train.model_from_task(*geo_test, label="geoer_osm_fsq CA+US")
    m_osh = train.model_from_pairs([p for _, _, p in pairs], "open-supply-hub pairs")
    # Every set weighs the same; the OSH pairs only for matches (see train.balanced).
    m_chicago, m_geo_train, m_geo_test = (
        train.balanced(m) for m in (m_chicago, m_geo_train, m_geo_test)
    )
    m_osh = train.balanced(m_osh, prior=False, non_matches=False)
    print(f"training counts: {time.perf_counter() - started:.1f}s")
    print(
        f"candidate recall: chicago {cr_chicago:.3f}, geoer SG+GB {cr_geo_train:.3f}, "
        f"geoer CA+US {cr_geo_test:.3f}"
    )
    shipped = model_mod.load()
    held = {
        "chicago_dfss": train.combine([m_geo_train, m_geo_test, m_osh], base=_thresholds(shipped)),
        "geoer CA+US": train.combine([m_geo_train, m_chicago, m_osh], base=_thresholds(shipped)),
        "osh pairs": train.combine([m_geo_train, m_geo_test, m_chicago], base=_thresholds(shipped)),
    }
    everything = train.combine(
        [m_chicago, m_geo_train, m_geo_test, m_osh], base=_thresholds(shipped)
    )
    if a.write_model:
        everything.save(model_mod.shipped_path())
        print(f"wrote {model_mod.shipped_path()}")
    # Both geoer folds held out: SG+GB scored by a model without them, and vice versa.
    held["geoer SG+GB"] = train.combine([m_geo_test, m_chicago, m_osh], base=_thresholds(shipped))
    sets = {"chicago_dfss": chicago, "geoer CA+US": geo_test, "geoer SG+GB": geo_train}
    print(f"\n{'set':<14} {'matcher':<22} {'auto P':>7} {'auto R':>7} {'pending':>8} {'s':>6}")
    for name, data in sets.items():
        lines = [("held-out model", run_new(*data, model=held[name]))]
        lines.append(("shipped model (seen)", run_new(*data, model=shipped)))
        if not a.skip_old:
            lines.append(("previous matcher", run_old(*data)))
        for label, f in lines:
            print(
                f"{name:<14} {label:<22} {f['precision']:7.3f} {f['recall']:7.3f} {f['pending']:8.3f} {f['seconds']:6.1f}"
            )
    for label, f in (
        ("held-out model", osh_figures(held["osh pairs"], pairs)),
        ("shipped model (seen)", osh_figures(shipped, pairs)),
        ("previous matcher", osh_figures(None, pairs, old=True)),
    ):
        print(
            f"{'osh pairs':<14} {label:<22} {f['precision']:7.3f} {f['recall']:7.3f} {f['pending']:8.3f}"
        )


def _thresholds(shipped):  # type: ignore[no-untyped-def]
    from imvo.supplychain.matching.model import Model

    m = Model.empty()
    m.automatic, m.review, m.margin_bits = shipped.automatic, shipped.review, shipped.margin_bits
    return m


if __name__ == "__main__":
    main()
