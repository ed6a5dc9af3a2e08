"""The interim supplier-list reader: workbooks, encodings, delimiters; property tests."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imvo.core.countries import normalise_country as country_code
from imvo.risk.reader import SupplierFileError, read_supplier_file


def test_xlsx_with_dutch_headers_and_leading_blank_row(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append([])
    ws.append(["Naam", "Land", "Product", "Werknemers"])
    ws.append(["Fabriek A", "Bangladesh", "Shirts", 1200])
    ws.append(["Fabriek B", "Turkije", "Denim", "300"])
    path = tmp_path / "lijst.xlsx"
    book.save(path)
    rows = read_supplier_file(path)
    assert [(r["row_id"], r["country"], r["workers"]) for r in rows] == [
        (3, "Bangladesh", 1200),
        (4, "Turkije", 300),
    ]
    assert [country_code(r["country"]) for r in rows] == [
        "BD",
        "TR",
    ]


def test_utf16_tab_separated(tmp_path):
    path = tmp_path / "list.txt"
    path.write_bytes("country\tname\nVietnam\tHanoi Knit\n".encode("utf-16"))
    assert read_supplier_file(path)[0]["country"] == "Vietnam"


def test_zip_with_csv_name_is_refused_clearly(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(SupplierFileError, match="workbook is damaged"):
        read_supplier_file(path)


def test_header_without_rows(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("country,name\n\n")
    with pytest.raises(SupplierFileError, match="no data rows"):
        read_supplier_file(path)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_country_code_never_raises_and_returns_a_code(text):
    code = country_code(text)
    assert code is None or (len(code) == 2 and code.isupper())


names = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1, max_size=20
).filter(lambda s: s.strip() == s and s)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(names, st.sampled_from(["China", "BD", "Viet Nam", "India"])),
        min_size=1,
        max_size=15,
    )
)
def test_csv_round_trip_keeps_every_row(tmp_path_factory, rows):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["name", "country"])
    w.writerows(rows)
    path = tmp_path_factory.mktemp("rt") / "list.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    got = read_supplier_file(path)
    # The shared parser collapses runs of (Unicode) white space inside a cell.
    assert [(r["name"], r["country"]) for r in got] == [(" ".join(n.split()), c) for n, c in rows]
