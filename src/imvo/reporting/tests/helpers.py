"""Builders for reporting tests: a covenant with agreements and measurements."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from imvo.testing import adhere, make_agreement, make_covenant, make_org


def measure(agreement: Any, on: date, value: str, source: str = "Assessment") -> Any:
    from imvo.covenants.models import KpiMeasurement

    return KpiMeasurement.objects.create(
        agreement=agreement, date=on, value=Decimal(value), source=source
    )


def reporting_covenant(**kw: Any) -> Any:
    """Covenant 2023-07-01 .. 2028-06-30 with two agreements and yearly measurements."""
    c = make_covenant(start_date=date(2023, 7, 1), end_date=date(2028, 6, 30), **kw)
    a1 = make_agreement(
        c,
        number="1",
        baseline=Decimal(0),
        target=Decimal(100),
        baseline_date=date(2023, 7, 1),
        deadline=date(2028, 6, 30),
    )
    # A falling target: fewer units on the hazardous-chemicals list.
    a2 = make_agreement(
        c,
        number="2",
        title_en="Reduce hazardous chemicals",
        kpi_name_en="Units not meeting the chemicals list",
        kpi_unit="facilities",
        baseline=Decimal(200),
        target=Decimal(100),
        baseline_date=date(2023, 7, 1),
        deadline=date(2028, 6, 30),
    )
    measure(a1, date(2024, 3, 31), "20", "Secretariat assessment 2023")
    measure(a1, date(2025, 3, 31), "50", "Secretariat assessment 2024")
    measure(a1, date(2026, 3, 31), "90", "Secretariat assessment 2025")
    measure(a2, date(2024, 3, 31), "190", "Chemicals audit 2023")
    measure(a2, date(2025, 3, 31), "185", "Chemicals audit 2024")
    return c, a1, a2


def with_members(covenant: Any) -> dict[str, Any]:
    orgs = {
        "a": make_org("Alpha Apparel"),
        "b": make_org("Beta Brands"),
        "left": make_org("Gamma Garments"),
        "union": make_org("Union", type="union"),
        "ngo": make_org("NGO", type="ngo"),
    }
    adhere(covenant, orgs["a"], since=date(2023, 7, 1))
    adhere(covenant, orgs["b"], since=date(2024, 2, 1))
    adhere(
        covenant,
        orgs["left"],
        since=date(2023, 7, 1),
        until=date(2024, 6, 30),
        status="withdrawn",
    )
    adhere(covenant, orgs["union"], since=date(2023, 7, 1))
    adhere(covenant, orgs["ngo"], role="stakeholder", since=date(2023, 7, 1))
    return orgs


def pdftotext(pdf: bytes, tmp_path: Path) -> tuple[str, int]:
    """A PDF's text (pages split by form feeds, layout kept) and its page count."""
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    pages = int(next(x for x in info.stdout.splitlines() if x.startswith("Pages:")).split()[1])
    return text, pages
