"""A formula smuggled in after a ';' is refused at upload, not only one at the start
(a Dutch Excel splits a comma-separated file on ';')."""

from imvo.supplychain.parsing import read_table, validate_rows


def test_facility_name_with_a_formula_after_a_semicolon_is_refused() -> None:
    data = (
        b"Factory name,Address,Country\n"
        b"\"Mill;=cmd|' /C calc'!A0;\",12 Road,BD\n"
        b"Mill; the big one,12 Road,BD\n"
    )
    table = read_table("l.csv", data)
    results = {r.number: r for r in validate_rows(table, table.column_mapping())}
    assert not results[2].valid
    assert results[2].errors[0][0] == "Factory name"
    assert "contains a formula" in results[2].errors[0][1]
    assert results[3].valid
