"""What every page template keeps to, read from the templates themselves.

Every table on a page scrolls sideways in its own box on a phone. A table wider than a 390 px screen either widened the whole page (the header, the
text and the language switch then scroll away with it) or, inside a plain
`overflow-x:auto` box, could not be reached by keyboard (axe:
scrollable-region-focusable). So every `<table>` of a page template sits in
`<div class="table-scroll" tabindex="0">` (site.css makes the box positioned, so a
visually hidden label in a cell stays inside it). Standalone documents (their own
`<!doctype html>`: letters, evidence packs, printed reports) have no site.css and
are left out. The browser side is
`test_reach.test_signed_in_pages_fit_a_phone_and_pass_axe_there`.

Dates read as the language writes them ("6 december 2026", DATE_FORMAT), never as
ISO "2026-12-06", which stays for inputs (`value=`), downloads and the API.
An amount shown with `|eur` carries its euro sign; its label says no "(EUR)" again.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import imvo

WRAPPER = '<div class="table-scroll" tabindex="0">'


def page_templates() -> list[Path]:
    root = Path(imvo.__file__).parent
    return [
        p
        for p in sorted(root.glob("**/templates/**/*.html"))
        if "<!doctype html>" not in p.read_text(encoding="utf-8")[:300].lower()
    ]


def test_every_table_of_a_page_sits_in_a_keyboard_scrollable_box() -> None:
    unwrapped = []
    for path in page_templates():
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<table\b", text):
            if not text[: m.start()].rstrip().endswith(WRAPPER):
                line = text.count("\n", 0, m.start()) + 1
                unwrapped.append(f"{path.relative_to(Path(imvo.__file__).parent)}:{line}")
    assert unwrapped == [], "tables outside a table-scroll box:\n" + "\n".join(unwrapped)
    without_tabindex = [
        str(p.relative_to(Path(imvo.__file__).parent))
        for p in page_templates()
        if (t := p.read_text(encoding="utf-8")).count('class="table-scroll"') != t.count(WRAPPER)
    ]
    assert without_tabindex == [], "table-scroll boxes without tabindex: " + ", ".join(
        without_tabindex
    )


def _lines(pattern: str) -> list[str]:
    root = Path(imvo.__file__).parent
    return [
        f"{path.relative_to(root)}:{n}"
        for path in page_templates()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(pattern, line)
    ]


@pytest.mark.parametrize(
    "what, pattern",
    [
        # An ISO date shown to a reader (a `value="..."` of a date input is not matched).
        ("ISO date on a page", r'(?<!value=")\{\{[^}]*\|date:"Y-m-d'),
        ("(EUR) beside an amount shown in euros", r"\(EUR\)\W*</(dt|th)>.*\|eur\b"),
    ],
)
def test_pages_write_dates_and_money_one_way(what: str, pattern: str) -> None:
    assert _lines(pattern) == [], what
