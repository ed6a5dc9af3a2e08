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

from imvo.supplychain.sectors import sector_label

register = template.Library()


@register.filter
def public_rows(rows: list[dict[str, Any]]) -> SafeString:
    """`<tr>` per row dict (public.Listing.as_dicts): name, address, country,
    sector (in the reader's language, `sectors.sector_label`), members (with the
    names of members that consent to be named).

    Each cell is escaped on its own. Escaping the page's cells as one text
    joined by a separator was measured at 0.08 ms a page less (about 3% of a
    miss's web CPU) and not kept: it needed a separator no text may hold and a
    fallback for when one does."""
    labels = {s: sector_label(s) for s in {str(f["sector"]) for f in rows}}
    out = []
    for f in rows:
        named = f["named_members"]
        names = f' <span class="muted">({escape(", ".join(named))})</span>' if named else ""
        out.append(
            f"<tr><td>{escape(str(f['name']))}</td><td>{escape(str(f['address']))}</td>"
            f"<td>{escape(str(f['country_name']))}</td><td>{escape(labels[str(f['sector'])])}</td>"
            f"<td>{escape(str(f['members']))}{names}</td></tr>\n"
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
