"""Benchmark: a member's supplier list uploaded end to end, seconds per 10,000 rows.

Prints, in one run, on the same synthetic data (a registry of REGISTRY
facilities, a list of ROWS rows: 60% registry facilities written differently,
40% new ones, `imvo.supplychain.synthetic`):

- **before**: the code at `--baseline-ref` (default 837b7d5, main before issue
  14's disclosure life cycle), checked out into a temporary git worktree and run
  in its own process: the request parses the whole file, the worker parses it
  again, validates, matches and replaces the year's list;
- **after**: this checkout: the request reads only the head of the file (the
  checks that refuse a file, the header), the worker parses it once and stores
  the checked rows, the preview is computed (what the member sees), the member
  confirms, the worker matches from the stored rows and records the version.

Each side runs in a fresh SQLite database (a child process each, so neither
warms the other's caches) with the same registry. End to end = request + all
worker stages (+ preview for "after"), i.e. from the bytes arriving to the
disclosure being current; the member's reading time is not counted.

    .venv/bin/python benchmarks/bench_upload.py [--rows 10000] [--registry 20000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def _write_data(tmp: Path, rows: int, registry: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(REPO / "src"))
    from imvo.supplychain import synthetic

    facilities = list(synthetic.facilities(registry, seed=1))
    reg_path = tmp / "registry.csv"
    with reg_path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "address", "country", "sector"])
        for f in facilities:
            w.writerow([f.name, f.address, f.country, f.sector])
    rng = random.Random(7)
    new = synthetic.facilities(rows, seed=2, start_id=registry + 1)
    list_path = tmp / "list.csv"
    with list_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Factory name", "Address", "Country", "Sector", "Product"])
        for _ in range(rows):
            if rng.random() < 0.6:
                f = rng.choice(facilities)
                name, address = synthetic.perturb(rng, f)
            else:
                f = next(new)
                name, address = f.name, f.address
            country = synthetic.COUNTRY_NAMES.get(f.country, f.country)
            w.writerow([name, address, country, f.sector, "Garments"])
    return reg_path, list_path


def _run_side(label: str, src: Path, reg_path: Path, list_path: Path) -> dict:
    var = tempfile.mkdtemp(prefix=f"imvo-bench-upload-{label}-")
    env = {
        **os.environ,
        "PYTHONPATH": str(src),
        "IMVO_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "imvo.settings",
        "DEBUG": "1",  # a throw-away local database, not a deployment
        "TASK_BACKEND": "immediate",
    }
    env.pop("DATABASE_URL", None)
    env.pop("IMVO_TESTING", None)
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(src), str(reg_path), str(list_path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        sys.exit(f"{label} failed:\n{out.stdout}\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(src: str, reg_path: str, list_path: str) -> None:
    sys.path.insert(0, src)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from imvo.accounts.testing import make_user
    from imvo.supplychain import services
    from imvo.supplychain.models import Facility
    from imvo.supplychain.normalise import normalise_address, normalise_name
    from imvo.testing import adhere, make_covenant, make_org

    with open(reg_path, newline="") as fh:
        Facility.objects.bulk_create(
            [
                Facility(
                    name=r["name"],
                    address=r["address"],
                    country=r["country"],
                    sector=r["sector"],
                    name_norm=normalise_name(r["name"]),
                    address_norm=normalise_address(r["address"]),
                )
                for r in csv.DictReader(fh)
            ],
            batch_size=2000,
        )
    covenant = make_covenant("bench")
    org = make_org("Bench Company")
    adhere(covenant, org)
    user = make_user("bench-member", organisation=org)
    data = Path(list_path).read_bytes()
    year = django.utils.timezone.now().year - 1
    times: dict[str, float] = {}
    new_path = hasattr(services, "confirm_list")
    t = time.perf_counter()
    kw = {"confirm": False} if new_path else {}
    sl = services.store_list(org, covenant, year, "list.csv", data, user, enqueue_task=False, **kw)
    times["request (store + read)"] = time.perf_counter() - t
    t = time.perf_counter()
    sl = services.process_list(sl.pk)
    if new_path:
        times["worker: parse + check (to preview)"] = time.perf_counter() - t
        from imvo.supplychain import disclosure

        t = time.perf_counter()
        preview = disclosure.preview(sl)
        times["preview (what the member sees)"] = time.perf_counter() - t
        t = time.perf_counter()
        sl = services.confirm_list(user, sl)  # the immediate backend runs the worker
        times["worker: match + version (after confirm)"] = time.perf_counter() - t
        extra = {"preview_added": preview.counts["added"]}
    else:
        times["worker: parse + check + match"] = time.perf_counter() - t
        extra = {}
    sl.refresh_from_db()
    assert sl.status == "done", sl.error
    print(
        json.dumps(
            {
                "times": times,
                "total": sum(times.values()),
                "rows": sl.rows.count(),
                "valid": sl.summary.get("valid"),
                "automatic": sl.summary.get("automatic"),
                **extra,
            }
        )
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--registry", type=int, default=20_000)
    p.add_argument("--baseline-ref", default="837b7d5")
    p.add_argument("--no-baseline", action="store_true")
    a = p.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="imvo-bench-upload-"))
    reg_path, list_path = _write_data(tmp, a.rows, a.registry)
    print(
        f"{a.rows:,} rows ({list_path.stat().st_size / 1e6:.1f} MB CSV) "
        f"against {a.registry:,} facilities"
    )
    results: dict[str, dict] = {}
    if not a.no_baseline:
        base = tmp / "baseline"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", str(base), a.baseline_ref],
            check=True,
            capture_output=True,
        )
        try:
            results[f"before ({a.baseline_ref})"] = _run_side(
                "before", base / "src", reg_path, list_path
            )
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)],
                check=False,
                capture_output=True,
            )
    results["after (this checkout)"] = _run_side("after", REPO / "src", reg_path, list_path)
    per = 10_000 / a.rows
    for label, r in results.items():
        print(f"\n{label}: {r['total'] * per:.2f} s per 10,000 rows end to end")
        for step, seconds in r["times"].items():
            print(f"  {step:45s} {seconds * per:8.2f} s")
        print(f"  rows {r['rows']:,}, valid {r['valid']:,}, automatic {r['automatic']:,}")
    if len(results) == 2:
        before, after = (r["total"] for r in results.values())
        print(f"\nafter / before: {after / before:.2f}x the time")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
    else:
        main()
