"""The scan: vectorised result equals the row-by-row reference; real supplier list; the CLI."""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from imvo.core.testing import SHARED_DATA
from imvo.risk import reference as ref
from imvo.risk.scan import (
    ScanResult,
    build_model,
    bundled_tables,
    prepare_rows,
    scan_frame,
    scan_row_by_row,
    theme_summary,
)

OSH = SHARED_DATA / "open-supply-hub" / "facility_lists" / "2.csv"
FIXTURES = Path(__file__).parent / "fixtures"
MODEL = build_model(bundled_tables())


def scan(rows: Iterable[dict[str, Any]]) -> ScanResult:
    """The vectorised scan of supplier-list rows (dicts) with the bundled tables."""
    return scan_frame(MODEL, prepare_rows(rows, MODEL))


def theme_scores(result):
    """(row id, theme) -> score of a scan."""
    return {
        (row, t): v for row, t, v in result.scores.select("row_id", "theme", "score").iter_rows()
    }


def test_bangladesh_garment_outranks_netherlands_garment():
    r = scan(
        [
            {"row_id": 1, "country": "Bangladesh", "sector": "Apparel"},
            {"row_id": 2, "country": "Netherlands", "sector": "Apparel"},
        ]
    )
    s = theme_scores(r)
    assert s[(1, "freedom-of-association")] >= ref.HIGH
    assert s[(2, "freedom-of-association")] < ref.MEDIUM
    assert all(s[(1, t)] > s[(2, t)] for t in ref.THEME_CODES if t != "animal-welfare")


def test_ilab_listing_of_own_good_raises_theme_risk_with_reason():
    r = scan([{"country": "IN", "sector": "Garments"}])
    reasons = r.reasons_for("IN", "garment", "child-labour", "garment")
    assert any(x["indicator"] == "ilab.good" and "Garments" in x["shown"] for x in reasons)
    score = r.scores.filter(r.scores["theme"].cast(str) == "child-labour")["score"][0]
    assert score == pytest.approx(
        100 * 1.0 * ref.SECTOR_PROFILES["garment"]["weights"]["child-labour"]
    )


def test_unknown_country_is_medium_not_low_and_reported():
    r = scan([{"row_id": 7, "country": "Atlantis", "sector": "food"}])
    assert r.unresolved["row_id"].to_list() == [7]
    assert r.reasons_for(None, "food", "living-wage")[0]["indicator"] == "unknown"
    assert r.scores["score"].min() >= 0.5 * 100 * 0.4 - 0.01  # type: ignore[operator]


countries = st.sampled_from(["BD", "China", "india", "NL", "Ghana", "Xanadu", None, "VNM", "Burma"])
sectors = st.sampled_from(
    ["Apparel", "gold mining", "cocoa", "granite", "flowers", "steel", None, "toys"]
)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries({"country": countries, "sector": sectors}), min_size=1, max_size=30
    )
)
def test_vectorised_scan_equals_row_by_row(records):
    records = [{**r, "row_id": i} for i, r in enumerate(records, start=1)]
    fast = scan(records).scores
    got = sorted((a, str(t), s) for a, t, s in fast.select("row_id", "theme", "score").iter_rows())
    assert got == sorted(scan_row_by_row(MODEL, records))


@pytest.mark.skipif(
    not OSH.exists(), reason="/work/shared/data/open-supply-hub is not on this machine"
)
@pytest.mark.django_db
def test_scan_command_on_open_supply_hub_list(capsys):
    call_command("scan", str(OSH))
    out = capsys.readouterr().out
    assert "83 rows, 6 countries" in out
    assert "Freedom of association [HIGH]" in out
    assert "ITUC Global Rights Index 2024" in out and "Worldwide Governance Indicators 2022" in out
    assert "CC BY 4.0" in out  # attribution of the WGI licence


@pytest.mark.skipif(
    not OSH.exists(), reason="/work/shared/data/open-supply-hub is not on this machine"
)
@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "html"])
def test_scan_command_formats(tmp_path, fmt):
    out = tmp_path / f"scan.{fmt}"
    call_command("scan", str(OSH), "--format", fmt, "--out", str(out))
    data = out.read_bytes()
    if fmt == "json":
        doc = json.loads(data)
        assert doc["meta"]["rows"] == 83 and len(doc["data"]) == 83 * len(ref.THEME_CODES)
        assert doc["themes"][0]["level"] == "high"
    elif fmt == "csv":
        lines = data.decode("utf-8-sig").splitlines()
        assert lines[0].startswith('"row","name","country as given"')  # CSV fields are quoted
        assert len(lines) == 1 + 83 * len(ref.THEME_CODES)
    elif fmt == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(out)
        assert any("Worldwide Governance" in str(c.value) for c in book["about"]["A"])
    else:
        assert b'<table class="heat"' in data and b"CC BY 4.0" in data


@pytest.mark.django_db
def test_scan_command_reads_cp1252_semicolon_file(capsys):
    call_command("scan", str(FIXTURES / "cp1252_semicolon.csv"))
    out = capsys.readouterr().out
    assert "3 rows, 2 countries" in out
    assert "row 4: 'Atlantis'" in out


@pytest.mark.django_db
def test_scan_command_bad_input_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("scan", str(tmp_path / "nope.csv"))
    f = tmp_path / "list.csv"
    f.write_text("name,city\nA,B\n")
    with pytest.raises(CommandError, match=r"list.csv: row 1 \(the header\) has no country column"):
        call_command("scan", str(f))
    f.write_text("country,workers\nCN,many\n")
    with pytest.raises(CommandError, match=r"row 2, column 'workers': 'many' is not a number"):
        call_command("scan", str(f))
    f.write_text("")
    with pytest.raises(CommandError, match="empty"):
        call_command("scan", str(f))
    with pytest.raises(CommandError, match="give --out"):
        call_command("scan", str(f), "--format", "xlsx")


def test_theme_summary_orders_by_highest_score():
    r = scan([{"country": "BD", "sector": "garment"}, {"country": "NL", "sector": "garment"}])
    ts = theme_summary(r)
    assert [t["max_score"] for t in ts] == sorted((t["max_score"] for t in ts), reverse=True)
    assert ts[0]["drivers"][0]["country"] == "BD"


@pytest.mark.parametrize(
    "text,sector",
    [
        ("Apparel", "garment"),
        ("Footwear", "garment"),
        ("Gold refinery", "gold"),
        ("Cocoa", "food"),
        ("Granite", "natural_stone"),
        ("Cut flowers", "floriculture"),
        ("Steel", "metals"),
        ("Toys", "other"),
        ("Tin", "metals"),
        ("Tinned fish", "food"),
    ],
)
def test_sector_of(text, sector):
    assert ref.sector_of(text) == sector


def test_weighted_summaries_match_counting_every_row():
    import polars as pl

    records = [
        {"row_id": i, "country": c, "sector": s}
        for i, (c, s) in enumerate(
            [
                ("BD", "garment"),
                ("BD", "garment"),
                ("CN", "gold"),
                ("NL", "garment"),
                ("Atlantis", "food"),
                ("IN", "Garments"),
            ]
            * 3,
            start=1,
        )
    ]
    r = scan(records)
    per_row = r.scores.with_columns(pl.col("theme").cast(pl.Utf8), pl.col("level").cast(pl.Utf8))
    for t in theme_summary(r):
        rows = per_row.filter(pl.col("theme") == t["theme"])
        assert t["high"] == rows.filter(pl.col("level") == "high").height
        assert t["medium"] == rows.filter(pl.col("level") == "medium").height
        assert t["max_score"] == rows["score"].max()
        assert t["mean_score"] == pytest.approx(rows["score"].mean(), abs=0.051)


def test_own_good_listed_outranks_other_goods_of_the_sector():
    # Ghana: ILAB lists Cocoa for child labour. Cocoa rows get 1.0, another food product 0.85.
    r = scan(
        [
            {"row_id": 1, "country": "Ghana", "product": "Cocoa beans"},
            {"row_id": 2, "country": "Ghana", "product": "Pineapple juice"},
        ]
    )
    s = theme_scores(r)
    w = ref.SECTOR_PROFILES["food"]["weights"]["child-labour"]
    assert s[(1, "child-labour")] == pytest.approx(100 * ref.ILAB_GOOD_RISK * w)
    assert s[(2, "child-labour")] == pytest.approx(100 * ref.ILAB_SECTOR_RISK * w)
    own = r.reasons_for("GH", "food", "child-labour", "cocoa")
    assert any("this good is listed: Cocoa" in x["shown"] for x in own)


@pytest.mark.parametrize(
    "text,good",
    [
        ("Cocoa beans", "cocoa"),
        ("Garments", "garment"),
        ("granite (crushed) setts", "granite"),
        ("palm oil", "palm"),
        ("Olive oil", "olive"),
        ("shirts", ""),
        ("Glass bangles", "glass bangle"),
    ],
)
def test_good_of(text, good):
    assert MODEL.good_of(text) == good


def test_top_rows_lists_the_riskiest_rows_first():
    from imvo.risk.scan import top_rows

    r = scan(
        [
            {"row_id": 1, "name": "Dutch studio", "country": "NL", "sector": "garment"},
            {"row_id": 2, "name": "Dhaka knit", "country": "BD", "sector": "garment"},
        ]
    )
    top = top_rows(r)
    assert [t["name"] for t in top] == ["Dhaka knit", "Dutch studio"]
    assert top[0]["score"] == max(top[0]["themes"][i]["score"] for i in range(3))
    assert len(top[0]["themes"]) == 3


@pytest.mark.skipif(
    not OSH.exists(), reason="/work/shared/data/open-supply-hub is not on this machine"
)
def test_every_country_in_the_open_supply_hub_lists_is_recognised():
    from imvo.risk.reader import read_supplier_file

    records = [r for f in sorted(OSH.parent.glob("*.csv")) for r in read_supplier_file(f)]
    r = scan([{**x, "row_id": i} for i, x in enumerate(records)])
    # 963 rows (the README says 953: ten files lack a final newline, which `wc -l` misses).
    assert r.rows.height == 963 and r.unresolved.is_empty()
