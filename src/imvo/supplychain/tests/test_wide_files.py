"""A CSV can be as wide as it likes (docs/security.md, T48): 200,000 columns in a
1.9 MB file were read, kept as the list's header, and the column-mapping page
offered every one of them in each of its choice lists: millions of options, a
page that held a server worker for minutes on each visit. A supplier list has
at most MAX_COLUMNS columns; a wider file is refused naming the widest row."""

from __future__ import annotations

import pytest
from django.utils import translation

from imvo.supplychain.parsing import HEAD_ROWS, MAX_COLUMNS, ParseError, read_table


def _csv(*rows: list[str]) -> bytes:
    return "".join(",".join(r) + "\n" for r in rows).encode()


@translation.override("en")
def test_a_file_with_more_columns_than_a_list_has_is_refused_naming_the_row() -> None:
    wide = [f"c{i}" for i in range(MAX_COLUMNS + 1)]
    for head in (HEAD_ROWS, None):  # the upload request and the worker
        with pytest.raises(ParseError) as e:
            read_table("wide.csv", _csv(wide, ["x"] * len(wide)), head=head)
        assert f"row 1 has {MAX_COLUMNS + 1:,} columns" in str(e.value)
    # One data row far wider than its header, further down the file.
    rows = [["name", "address", "country"]] + [["A", "Road 1", "BD"]] * 30
    rows.insert(20, ["B", "Road 2", "BD"] + [""] * 200_000 + ["x"])
    with pytest.raises(ParseError) as e:
        read_table("one-wide-row.csv", _csv(*rows))
    assert "row 21 has 200,004 columns" in str(e.value)


def test_empty_cells_trailing_every_row_are_no_columns() -> None:
    """A CSV saved from a sheet formatted to column XFD ends every line in commas."""
    data = _csv(
        ["name", "address", "country"] + [""] * 16_381, ["A", "Road 1", "BD"] + [""] * 16_381
    )
    for head in (HEAD_ROWS, None):
        table = read_table("trailing.csv", data, head=head)
        assert table.header == ["name", "address", "country"]
        assert table.rows == [(2, ["A", "Road 1", "BD"])]


def test_a_list_as_wide_as_the_limit_is_read() -> None:
    header = ["name", "address", "country"] + [f"extra {i}" for i in range(MAX_COLUMNS - 3)]
    table = read_table("ok.csv", _csv(header, ["A", "Road 1", "BD"] + ["x"] * (MAX_COLUMNS - 3)))
    assert len(table.header) == MAX_COLUMNS and len(table.rows) == 1
