"""`{{ page.object_list|public_rows }}`: the rows of the public location table.

A page holds 100 rows of five cells; rendered by the template engine that is
~700 variable lookups and escapes, most of a page's rendering time with every
read a cache miss (docs/performance.md). Here each row is one string with
every value escaped exactly as the template's autoescape would
(`test_load.py` compares the two). The filters' options and the query string
that five links of the page repeat are written the same way
(`{% public_options %}`, `{% public_query %}`): with every read a miss, the
template engine's loops and lookups for them were a third of the page body's
rendering.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


# Between the cells while they are escaped together: no stored text holds NUL
# (PostgreSQL refuses it; a cell that holds one anyway is caught by the count).
_CELL = "\x00"


@register.filter
def public_rows(rows: list[dict[str, Any]]) -> SafeString:
    """`<tr>` per row dict (public.Listing.as_dicts): name, address, country,
    sector, members (with the names of members that consent to be named).

    The page's 500-odd cells are escaped as one text (one `escape` of the cells
    joined by NUL, then split), not one `escape` call per cell: the same
    characters replaced the same way, a fifth of the table's rendering time."""
    cells: list[str] = []
    named_flags: list[bool] = []
    for f in rows:
        named = f["named_members"]
        named_flags.append(bool(named))
        cells += (
            str(f["name"]),
            str(f["address"]),
            str(f["country_name"]),
            str(f["sector"]),
            str(f["members"]),
            ", ".join(named),
        )
    escaped = escape(_CELL.join(cells)).split(_CELL)
    if len(escaped) != len(cells):  # a cell held NUL: escape each on its own
        escaped = [escape(c) for c in cells]
    out = []
    it = iter(escaped)
    for (name, address, country, sector, members, names), has_names in zip(
        zip(it, it, it, it, it, it, strict=True), named_flags, strict=True
    ):
        muted = f' <span class="muted">({names})</span>' if has_names else ""
        out.append(
            f"<tr><td>{name}</td><td>{address}</td><td>{country}</td><td>{sector}</td>"
            f"<td>{members}{muted}</td></tr>\n"
        )
    return mark_safe("".join(out))  # every value escaped above


@register.simple_tag
def public_options(options: list[Any], selected: str) -> SafeString:
    """`<option>`s of a filter, `selected` selected: (value, label) pairs give
    `value="..."` (countries), plain values are their own label (sectors)."""
    out = []
    for option in options:
        if isinstance(option, tuple):
            value, label = option
            attrs = f' value="{escape(str(value))}"'
        else:
            value = label = option
            attrs = ""
        chosen = " selected" if value == selected else ""
        out.append(f"<option{attrs}{chosen}>{escape(str(label))}</option>")
    return mark_safe("".join(out))  # every value escaped above


@register.simple_tag
def public_query(q: str, country: str, sector: str, year: int | None) -> SafeString:
    """The page's filters as the query string its links carry (downloads, previous,
    next): `?q=...&country=...&sector=...&year=...`, as the template wrote it
    (`q|urlencode`, `country`, `sector|urlencode`, `year|default:''`)."""
    return mark_safe(  # quote() leaves nothing to escape; country is escaped
        f"?q={quote(q)}&country={escape(country)}&sector={quote(sector)}"
        f"&year={year if year else ''}"
    )
