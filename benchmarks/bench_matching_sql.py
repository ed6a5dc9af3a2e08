"""Benchmark: the matcher on PostgreSQL (`matching.sql`) at registry scale, beside
the in-memory engine, with the same decisions checked row by row.

    python benchmarks/bench_matching_sql.py [--registry 1000000] [--rows 2000]
        [--dsn postgresql://postgres@127.0.0.1:5432/DB] [--schema imvo_match_bench]

Uses the synthetic files of `bench_supplychain_match.py` (generated if missing) and
its saved in-memory index when present. Prints: loading the registry into
PostgreSQL (COPY of the cleaned values, then keys, postings, cells in SQL), the
table sizes, matching the rows in SQL (per step), the client's peak memory, and
how many decisions differ from the in-memory engine's (should be 0).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from harness import peak_mb


def _id(value: object) -> str | None:
    """Ids as text: the saved index keeps the CSV's, SQL gives integers."""
    return None if value is None else str(value)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--registry", type=int, default=1_000_000)
    ap.add_argument("--rows", type=int, default=2_000)
    ap.add_argument(
        "--list-size", type=int, default=100_000, help="size of the generated list file"
    )
    ap.add_argument(
        "--dsn",
        default=os.environ.get("IMVO_BENCH_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    ap.add_argument("--schema", default="imvo_match_bench")
    ap.add_argument("--skip-load", action="store_true", help="reuse the tables of an earlier run")
    ap.add_argument(
        "--workdir", default=str(Path(tempfile.gettempdir()) / "imvo-bench-supplychain")
    )
    a = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")

    import polars as pl
    import psycopg
    from bench_supplychain_match import generate

    from imvo.supplychain import matching
    from imvo.supplychain.matching import _clean, sql, store
    from imvo.supplychain.normalise import normalise_country

    reg_path, list_path, _ = generate(Path(a.workdir), a.registry, a.list_size, 1)
    print(
        f"Matcher on PostgreSQL: {a.rows:,} rows against {a.registry:,} facilities (load average {os.getloadavg()[0]:.1f})"
    )
    conn = psycopg.connect(a.dsn, autocommit=True)
    cur = conn.cursor()
    cur.execute("SHOW work_mem")
    work_mem = cur.fetchone()[0]
    sql.install(cur, a.schema)
    if not a.skip_load:
        t0 = time.perf_counter()
        reg = pl.read_csv(reg_path, infer_schema=False).with_columns(pl.col("id").cast(pl.Int64))
        clean = _clean(reg, normalised=False).with_columns(id=reg["id"])
        t_clean = time.perf_counter()
        cur.execute(f"DROP TABLE IF EXISTS {a.schema}.facilities")
        cur.execute(
            f"CREATE TABLE {a.schema}.facilities (id bigint, name text, address text, country text, lat float8, lng float8)"
        )
        with cur.copy(f"COPY {a.schema}.facilities FROM STDIN") as cp:
            for r in clean.select("id", "name", "address", "country", "lat", "lng").iter_rows():
                cp.write_row(r)
        t_copy = time.perf_counter()
        del reg, clean
        n = sql.load_registry(cur, a.schema, f"SELECT * FROM {a.schema}.facilities")  # noqa: S608
        t_load = time.perf_counter()
        print(
            f"  normalise in Python {t_clean - t0:.1f} s, COPY {t_copy - t_clean:.1f} s, "
            f"registry tables in SQL (keys, postings, cells, counts) {t_load - t_copy:.1f} s: {n:,} facilities"
        )
    cur.execute(
        "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
        "WHERE s.nspname = %s AND c.relkind = 'r' ORDER BY 2 DESC",
        (a.schema,),
    )
    sizes = cur.fetchall()
    print(
        "  tables: "
        + ", ".join(f"{name} {size / 2**20:.0f} MB" for name, size in sizes)
        + f"; total {sum(s for _, s in sizes) / 2**30:.2f} GB; work_mem {work_mem}"
    )

    lst = pl.read_csv(list_path, infer_schema=False).head(a.rows)
    frame = pl.DataFrame(
        {
            "name": lst["Factory name"],
            "address": lst["Address"],
            "country": [normalise_country(c) or "" for c in lst["Country"]],
        }
    )
    rows = _clean(frame, normalised=False)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    res = sql.match(
        cur,
        a.schema,
        list(rows.select("name", "address", "country", "lat", "lng").iter_rows()),
        matching.load(),
        timings=timings,
    )
    t_sql = time.perf_counter() - t0
    pairs = sum(r["candidates"] for r in res)
    print(
        f"  match in SQL: {t_sql:.1f} s for {a.rows:,} rows, {pairs:,} candidate pairs "
        f"({1000 * t_sql / max(pairs, 1):.2f} ms per pair)"
    )
    for k, v in timings.items():
        print(f"    {v:8.1f} s  {k}")
    print(f"  client peak memory (ru_maxrss) {peak_mb():.0f} MB")

    index = Path(a.workdir) / f"index-{a.registry}-1"
    if index.exists():
        t0 = time.perf_counter()
        prepared = store.load(index)
        mem = matching.match_frame(prepared, frame)
        print(
            f"  in-memory engine on the same rows: {time.perf_counter() - t0:.1f} s (load index + match)"
        )
        diff = sum(
            1
            for m, s in zip(mem, res, strict=True)
            if (m.status, _id(m.facility_id)) != (s["status"], _id(s["facility_id"]))
        )
        counts = {
            k: sum(1 for s in res if s["status"] == k) for k in ("automatic", "pending", "new")
        }
        print(f"  decisions that differ from the in-memory engine: {diff} of {a.rows:,} ({counts})")
    else:
        print(
            f"  (no saved in-memory index at {index}: run bench_supplychain_match.py first to compare)"
        )


if __name__ == "__main__":
    main()
