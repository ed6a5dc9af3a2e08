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
record among the candidates the matcher scored), and seconds; beside the
previous matcher and a plain TF-IDF character-3-gram nearest-neighbour baseline
(`tfidf_baseline.py`, fixed thresholds). "geoer (all)" adds up both folds.

    .venv/bin/python benchmarks/bench_matching_real.py [--write-model] [--l2-grid]
        [--exact-fit] [--l2 L2]

--exact-fit fits with the exact optimum under the sign bounds (`exact_fit.py`, not
shipped: docs/supplychain.md, "The exact fit"); --l2 sets the fit's L2 (default
model.L2).

--l2-grid prints, per L2 strength of the fit, the held-out log loss (nats) of each
set's own labelled evidence under the model fitted without it: how model.L2 is
chosen (by held-out likelihood, not by these figures; the Open Supply Hub pairs,
matches only, do not count in the sum).

--write-model re-estimates the shipped src/imvo/supplychain/matching/model.json
from all sets (what `imvo match train --shared` does too).
"""

from __future__ import annotations

import argparse
import csv
import time

from harness import SHARED_DATA, osh_labelled_pairs

TASKS = SHARED_DATA / "matching-benchmarks"


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


def figures(results, truth, seconds: float = 0.0) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Automatic precision and recall, share pending, candidate recall (true record
    among the candidates the matcher scored), as score.py counts them."""
    auto = auto_ok = pending = reached = 0
    positives = sum(1 for t in truth if t)
    for r, t in zip(results, truth, strict=True):
        if r.status == "automatic":
            auto += 1
            auto_ok += str(r.facility_id) in t
        elif r.status == "pending":
            pending += 1
        if t:
            scored = getattr(r, "scored", None)
            ids = (
                [c.facility_id for c in scored]
                if scored is not None
                else [c[0] for c in r.candidates]
            )
            reached += bool({str(i) for i in ids} & t)
    nan = float("nan")
    return {
        "precision": auto_ok / auto if auto else nan,
        "recall": auto_ok / positives if positives else nan,
        "pending": pending / len(truth) if truth else nan,
        "candidates": reached / positives if positives else nan,
        "seconds": seconds,
    }


def run_new(registry, rows, model):  # type: ignore[no-untyped-def]
    from imvo.supplychain import matching

    started = time.perf_counter()
    results = matching.match_frame(matching.prepare_registry(registry, model=model), rows)
    return results, time.perf_counter() - started


def run_old(registry, rows):  # type: ignore[no-untyped-def]
    import baseline_matcher as old

    started = time.perf_counter()
    prepared = old.prepare_registry(registry.select("id", "name", "address", "country"))
    results = old.match_frame(prepared, rows.select("name", "address", "country"))
    return results, time.perf_counter() - started


def run_tfidf(registry, rows):  # type: ignore[no-untyped-def]
    import tfidf_baseline

    started = time.perf_counter()
    return tfidf_baseline.match(registry, rows), time.perf_counter() - started


def osh_figures(pairs, matcher, model=None) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Each labelled pair as a one-row list against a one-facility registry."""
    import polars as pl

    from imvo.supplychain import matching

    auto = auto_ok = pending = 0
    positives = sum(1 for _, _, p in pairs if p.is_match)
    for a, b, p in pairs:
        if matcher == "tfidf":
            import tfidf_baseline as tb

            cos = tb.cosine_pair(a["name"], a["address"], b["name"], b["address"])
            status = (
                "automatic" if cos >= tb.AUTOMATIC else "pending" if cos >= tb.PENDING else "new"
            )
        else:
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
            if matcher == "previous":
                import baseline_matcher as om

                status = om.match_frame(om.prepare_registry(reg), row)[0].status
            else:
                prepared = matching.prepare_registry(reg, model=model)
                status = matching.match_frame(prepared, row)[0].status
        if status == "automatic":
            auto += 1
            auto_ok += p.is_match
        elif status == "pending":
            pending += 1
    return {
        "precision": auto_ok / auto if auto else float("nan"),
        "recall": auto_ok / positives,
        "pending": pending / len(pairs),
        "candidates": float("nan"),
        "seconds": 0.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write-model", action="store_true")
    ap.add_argument("--skip-old", action="store_true", help="no previous matcher, no TF-IDF")
    ap.add_argument("--l2-grid", action="store_true", help="held-out log loss per L2, then stop")
    ap.add_argument("--exact-fit", action="store_true", help="the exact sign-constrained fit")
    ap.add_argument("--l2", type=float, default=None, help="the fit's L2 (default model.L2)")
    a = ap.parse_args()

    import polars as pl

    from imvo.supplychain.matching import model as model_mod
    from imvo.supplychain.matching import train

    chicago = load_task("chicago_dfss")
    geo_reg, geo_rows, geo_truth = load_task("geoer_osm_fsq")
    pairs = osh_labelled_pairs()

    def split(countries: set[str]):  # type: ignore[no-untyped-def]
        keep = geo_rows["country"].is_in(list(countries))
        rows = geo_rows.filter(keep)
        truth = [t for t, k in zip(geo_truth, keep.to_list(), strict=True) if k]
        return geo_reg.filter(pl.col("country").is_in(list(countries))), rows, truth

    geo_sggb, geo_caus = split({"SG", "GB"}), split({"CA", "US"})
    if a.l2 is not None:
        model_mod.L2 = a.l2
    if a.exact_fit:
        import exact_fit

        exact_fit.use()
    started = time.perf_counter()
    # The per-set models of the shipped model.json (train.shipped_sets, also what
    # `imvo match train --shared` combines): every set weighs the same, the OSH
    # pairs only for their matches (see train.balanced).
    sets = train.shipped_sets()
    m_chicago, m_sggb, m_caus, m_osh = (
        sets[k]
        for k in (
            "chicago_dfss",
            "geoer_osm_fsq SG+GB",
            "geoer_osm_fsq CA+US",
            "open-supply-hub pairs",
        )
    )
    everything = train.combine([m_chicago, m_sggb, m_caus, m_osh], base=_thresholds())
    print(f"training: {time.perf_counter() - started:.1f}s")
    if a.l2_grid:
        l2_grid(
            {
                "chicago_dfss": m_chicago,
                "geoer CA+US": m_caus,
                "geoer SG+GB": m_sggb,
                "osh pairs": m_osh,
            }
        )
        return
    if a.write_model:
        everything.save(model_mod.shipped_path())
        model_mod._shipped.cache_clear()
        print(f"wrote {model_mod.shipped_path()}")
    shipped = model_mod.load()
    # Held out: a set is scored by a model estimated without it.
    held = {
        "chicago_dfss": train.combine([m_sggb, m_caus, m_osh], base=_thresholds()),
        "geoer CA+US": train.combine([m_sggb, m_chicago, m_osh], base=_thresholds()),
        "geoer SG+GB": train.combine([m_caus, m_chicago, m_osh], base=_thresholds()),
        "osh pairs": train.combine([m_sggb, m_caus, m_chicago], base=_thresholds()),
    }
    sets = {"chicago_dfss": chicago, "geoer CA+US": geo_caus, "geoer SG+GB": geo_sggb}
    header = f"{'set':<16} {'matcher':<26} {'auto P':>7} {'auto R':>7} {'pending':>8} {'cand R':>7} {'s':>6}"
    print("\n" + header)
    collected: dict[str, tuple[list, list, float]] = {}

    def line(name: str, label: str, f: dict[str, float]) -> None:
        print(
            f"{name:<16} {label:<26} {f['precision']:7.4f} {f['recall']:7.4f} "
            f"{f['pending']:8.4f} {f['candidates']:7.4f} {f['seconds']:6.1f}"
        )

    for name, (registry, rows, truth) in sets.items():
        runs = [
            ("held-out model", lambda r=registry, w=rows, n=name: run_new(r, w, held[n])),
            ("shipped model (seen)", lambda r=registry, w=rows: run_new(r, w, shipped)),
        ]
        if not a.skip_old:
            runs.append(("previous matcher", lambda r=registry, w=rows: run_old(r, w)))
            runs.append(("TF-IDF 3-gram baseline", lambda r=registry, w=rows: run_tfidf(r, w)))
        for label, run in runs:
            results, seconds = run()
            line(name, label, figures(results, truth, seconds))
            if name.startswith("geoer"):
                got = collected.setdefault(label, ([], [], 0.0))
                collected[label] = (got[0] + results, got[1] + truth, got[2] + seconds)
    for label, (results, truth, seconds) in collected.items():
        line("geoer (all)", label, figures(results, truth, seconds))
    osh_runs = [
        ("held-out model", osh_figures(pairs, "new", held["osh pairs"])),
        ("shipped model (seen)", osh_figures(pairs, "new", shipped)),
    ]
    if not a.skip_old:
        osh_runs.append(("previous matcher", osh_figures(pairs, "previous")))
        osh_runs.append(("TF-IDF 3-gram baseline", osh_figures(pairs, "tfidf")))
    for label, f in osh_runs:
        line("osh 112 pairs", label, f)


L2_GRID = (0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0, 2.0)


def l2_grid(sets) -> None:  # type: ignore[no-untyped-def]
    """Held-out log loss (nats) of each set's evidence, per L2 of the fit."""
    import numpy as np

    from imvo.supplychain.matching import model as model_mod
    from imvo.supplychain.matching import train

    def log_loss(model, evidence) -> float:  # type: ignore[no-untyped-def]
        total = 0.0
        for kind in model_mod.KINDS:
            rows = np.asarray(evidence.evidence[kind], dtype=np.float64)
            if not len(rows):
                continue
            levels = {c: rows[:, i].astype(np.int64) for i, c in enumerate(model_mod.COMPARISONS)}
            z = model.pair_bits(levels) * np.log(2)
            total += float(rows[:, -2] @ np.logaddexp(0, -z) + rows[:, -1] @ np.logaddexp(0, z))
        return total

    print(f"\n{'L2':>6} " + " ".join(f"{k:>13}" for k in sets) + f" {'sum (no OSH)':>13}")
    shipped_l2 = model_mod.L2
    try:
        for l2 in L2_GRID:
            model_mod.L2 = l2  # the fit reads it at every call
            loss = {
                k: log_loss(train.combine([m for j, m in sets.items() if j != k]), held)
                for k, held in sets.items()
            }
            paired = sum(v for k, v in loss.items() if k != "osh pairs")
            print(
                f"{l2:6.2f} " + " ".join(f"{v:13.1f}" for v in loss.values()) + f" {paired:13.1f}"
            )
    finally:
        model_mod.L2 = shipped_l2


def _thresholds():  # type: ignore[no-untyped-def]
    """An empty model with the decision thresholds the project ships."""
    from imvo.supplychain.matching.model import Model

    return Model.empty()


if __name__ == "__main__":
    main()
