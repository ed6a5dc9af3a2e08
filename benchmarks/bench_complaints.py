"""What confidentiality costs: filing and following complaints with encryption,
receipt hashing and the audit chain, against a plain insert/lookup baseline
measured in the same run on the same database.

Usage: .venv/bin/python benchmarks/bench_complaints.py [N]
Runs on a throw-away SQLite file (or DATABASE_URL if set to a test database).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

tmp = Path(tempfile.mkdtemp(prefix="imvo-bench-complaints-"))
os.environ.setdefault("IMVO_TESTING", "1")
os.environ["IMVO_VAR_DIR"] = str(tmp)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
os.environ["IMVO_COMPLAINTS_KEY_FILE"] = str(tmp / "complaints.key")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)

from imvo.complaints import services  # noqa: E402
from imvo.complaints.models import Complaint  # noqa: E402
from imvo.covenants.models import Covenant  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
TEXT = "Wages for March and April were not paid; the supervisor threatens those who ask. " * 5


def timed(label: str, fn, n: int) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    print(f"{label:<52} {n:>6} in {dt:7.3f} s  = {1000 * dt / n:7.2f} ms each")
    return dt


def main() -> None:
    cov = Covenant.objects.create(slug="bench", name_nl="Bench", name_en="Bench", sector="garment")
    services.procedure_for(cov)

    def baseline_insert() -> None:
        for i in range(N):
            Complaint.objects.create(covenant=cov, receipt_hash=f"{i:064d}", secret=TEXT)

    def filed() -> list[str]:
        return [
            services.file_complaint(covenant=cov, description=TEXT, name="A. Worker").receipt
            for _ in range(N)
        ]

    base = timed("baseline: plain row insert (no crypto, no audit)", baseline_insert, N)
    receipts: list[str] = []
    full = timed(
        "file_complaint: encrypt + receipt hash + audit chain",
        lambda: receipts.extend(filed()),
        N,
    )
    print(f"{'filing overhead vs baseline':<52} x{full / base:.1f}")

    def baseline_lookup() -> None:
        for i in range(N):
            Complaint.objects.get(receipt_hash=f"{i:064d}")

    def follow() -> None:
        for code in receipts:
            services.complainant_view(services.complaint_by_receipt(code))

    lb = timed("baseline: lookup by indexed hash", baseline_lookup, N)
    lf = timed("follow: hash code + decrypt + audit entry", follow, N)
    print(f"{'follow overhead vs baseline':<52} x{lf / lb:.1f}")
    t0 = time.perf_counter()
    report = services.verify_audit()
    dt = time.perf_counter() - t0
    print(
        f"{'verify_audit over ' + str(report.entries) + ' entries':<52} {dt:7.3f} s  ok={report.ok}"
    )


if __name__ == "__main__":
    main()
