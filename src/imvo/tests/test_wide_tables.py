"""Every table on a page scrolls sideways in its own box on a phone.

A table wider than a 390 px screen either widened the whole page (the header, the
text and the language switch then scroll away with it) or, inside a plain
`overflow-x:auto` box, could not be reached by keyboard (axe:
scrollable-region-focusable). So every `<table>` of a page template sits in
`<div class="table-scroll" tabindex="0">` (site.css makes the box positioned, so a
visually hidden label in a cell stays inside it). Standalone documents (their own
`<!doctype html>`: letters, evidence packs, printed reports) have no site.css and
are left out. The browser side is `test_reach.test_signed_in_pages_fit_a_phone`.
"""

from __future__ import annotations

import re
from pathlib import Path

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
