"""docs/regulation.md shows the mapping table as the code has it, and its example
files behave as it says."""

from __future__ import annotations

from pathlib import Path

from imvo.regulation import legal
from imvo.regulation.services import eudr
from imvo.testing import adhere, make_covenant

DOCS = Path(__file__).resolve().parents[4] / "docs"


def test_the_mapping_table_in_the_docs_is_the_default_mapping() -> None:
    text = (DOCS / "regulation.md").read_text()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    expected = [
        f"| `{r.key}` | {r.label} | {r.oecd_step} | {', '.join(r.articles)} | "
        f"{', '.join(r.esrs)} | {'yes' if r.vsme else 'no'} |"
        for r in legal.DEFAULT_ROWS
    ]
    assert rows == expected


def test_the_example_files_one_valid_and_one_error_per_kind(world) -> None:
    food = make_covenant(slug="food-docs", sector="food")
    adhere(food, world.company_a)
    good = eudr.check_upload(world.member_a, food, "p.geojson",
                             (DOCS / "examples/eudr-plots.geojson").read_bytes())  # fmt: skip
    assert good.errors == [] and good.rows == 3
    bad = eudr.check_upload(world.member_a, food, "p.geojson",
                            (DOCS / "examples/eudr-plots-with-errors.geojson").read_bytes())  # fmt: skip
    assert [e["row"] for e in bad.errors] == list(range(2, 13))
    columns = {e["column"] for e in bad.errors}
    assert columns == {"commodity", "country", "geometry", "area_ha", "plot_id", "dds_reference"}
