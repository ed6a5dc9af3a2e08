"""The importers on the publishers' real files (skipped when /work/shared is absent)."""

import pytest
from django.core.management import CommandError, call_command

from imvo.core.countries import normalise_country as country_code
from imvo.core.testing import SHARED_DATA
from imvo.risk import services
from imvo.risk.importers import ImportFormatError, read_source
from imvo.risk.models import IndicatorSource

DATA = SHARED_DATA / "risk"
needs_data = pytest.mark.skipif(
    not DATA.exists(), reason="/work/shared/data/risk is not on this machine"
)


@needs_data
def test_wgi_real_file_reads_2022_percentiles():
    p = read_source("wgi", DATA / "worldbank_wgi_1996_2022.csv")
    assert p.edition == 2022
    vals = {(i, c): v for i, c, v, _ in p.values}
    # Denmark is among the least corrupt; Afghanistan's 2022 rank is in the file's last column.
    assert vals[("wgi.cc", "DK")] > 95
    assert vals[("wgi.cc", "AF")] == pytest.approx(12.2641506195068)
    assert {i for i, _, _, _ in p.values} == {
        "wgi.va",
        "wgi.pv",
        "wgi.ge",
        "wgi.rq",
        "wgi.rl",
        "wgi.cc",
    }


@needs_data
def test_wgi_older_edition_on_request():
    p = read_source("wgi", DATA / "worldbank_wgi_1996_2022.csv", edition=2010)
    vals = {(i, c): v for i, c, v, _ in p.values}
    assert vals[("wgi.cc", "AF")] == pytest.approx(0.952380955219269)


@needs_data
def test_ituc_real_file_keeps_5_plus():
    p = read_source("ituc", DATA / "ituc_global_rights_index_2024.json")
    assert p.edition == 2024 and len(p.values) == 131
    vals = {c: (v, raw) for _, c, v, raw in p.values}
    assert vals["NL"][0] == 1
    assert any(v == 5.5 and raw.startswith("5+") for v, raw in vals.values())


@needs_data
@pytest.mark.parametrize(
    "name", ["dol_ilab_goods_child_forced_labor_2016.csv", "dol_ilab_tvpra_2016.xlsx"]
)
def test_ilab_real_files_csv_and_excel_agree(name):
    p = read_source("ilab", DATA / name)
    assert p.edition == 2016 and len(p.goods) == 379 and not p.skipped
    goods = {(c, g): (ch, fo) for c, g, ch, fo in p.goods}
    assert goods[("AF", "Bricks")] == (True, True)
    assert ("MM", "Rubber") in goods or any(c == "MM" for c, _ in goods)  # Burma -> MM


@needs_data
@pytest.mark.django_db
def test_import_command_stores_provenance_and_replaces_bundle(capsys):
    call_command("risk", "import", "ituc", str(DATA / "ituc_global_rights_index_2024.json"))
    src = IndicatorSource.objects.get(code="ituc")
    assert (src.edition_year, src.publisher) == (2024, "International Trade Union Confederation")
    assert src.values.get(indicator="ituc.rating", country="BD").value == 5
    tables = services.indicator_tables()
    assert tables.origin == "database"
    # Re-importing the same edition replaces it rather than doubling it.
    call_command("risk", "import", "ituc", str(DATA / "ituc_global_rights_index_2024.json"))
    assert IndicatorSource.objects.filter(code="ituc").count() == 1
    call_command("risk", "sources")
    assert "ITUC Global Rights Index 2024" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_rejects_wrong_format_with_file_and_row(tmp_path):
    bad = tmp_path / "wgi.csv"
    bad.write_text("Country,Code,Value\nX,Y,1\n")
    with pytest.raises(CommandError, match=r"wgi.csv: row 1 lacks the column"):
        call_command("risk", "import", "wgi", str(bad))
    bad2 = tmp_path / "WGI_2022.csv"
    bad2.write_text(
        '"Country Name","Country Code","Indicator Name","Indicator Code","2022"\n"A","NLD","x","RL.PER.RNK","high"\n'
    )
    with pytest.raises(ImportFormatError, match=r"row 2, column 2022: 'high' is not a number"):
        read_source("wgi", bad2)
    with pytest.raises(ImportFormatError, match="pass --edition"):
        read_source("ituc", tmp_path / "x.json") if (tmp_path / "x.json").write_text("{}") else None
    with pytest.raises(ImportFormatError, match="no such file"):
        read_source("ilab", tmp_path / "missing_2016.csv")


def test_bundle_rebuild_matches_shipped_table(tmp_path):
    if not DATA.exists():
        pytest.skip("/work/shared/data/risk is not on this machine")
    from imvo.risk.bundle import DATA_DIR, build_bundle

    build_bundle(DATA, tmp_path)
    for name in ("indicators.csv", "goods.csv", "sources.json"):
        assert (tmp_path / name).read_text() == (DATA_DIR / name).read_text(), name


@pytest.mark.parametrize(
    "text,code",
    [
        ("CHINA", "CN"),
        ("Burma", "MM"),
        ("VNM", "VN"),
        ("Viet Nam", "VN"),
        ("cote d'ivoire", "CI"),
        ("China (Guangdong)", "CN"),
        ("Duitsland", "DE"),
        ("Verenigde Staten", "US"),
        ("UAE", "AE"),
        ("bd", "BD"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_code(text, code):
    assert country_code(text) == code


def test_wgi_edition_is_newest_year_with_values(tmp_path):
    f = tmp_path / "wgi.csv"
    f.write_text(
        '"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022","2023",\n'
        '"Netherlands","NLD","Rule of Law: Percentile Rank","RL.PER.RNK","95.1","96.2","",\n'
        '"Netherlands","NLD","Rule of Law: Estimate","RL.EST","1.7","1.8","1.9",\n'
    )
    p = read_source("wgi", f)
    assert p.edition == 2022 and p.values == [("wgi.rl", "NL", 96.2, "96.2")]


@pytest.mark.django_db
def test_openapi_schema_lists_risk_endpoints(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/risk/sources", "/api/risk/scan", "/api/risk/register"} <= set(paths)


@needs_data
@pytest.mark.django_db
def test_older_imported_edition_does_not_replace_newer_bundle():
    services.import_source("wgi", DATA / "worldbank_wgi_1996_2022.csv", edition=2010)
    wgi = next(s for s in services.sources_in_use() if s["code"] == "wgi")
    assert (wgi["edition_year"], wgi["origin"]) == (2022, "bundled")
    services.import_source("wgi", DATA / "worldbank_wgi_1996_2022.csv")
    wgi = next(s for s in services.sources_in_use() if s["code"] == "wgi")
    assert (wgi["edition_year"], wgi["origin"]) == (2022, "imported")
