"""`{{ page.object_list|public_rows }}`: the rows of the public location table.

A page holds 100 rows of five cells; rendered by the template engine that is
~700 variable lookups and escapes, most of a page's rendering time with every
read a cache miss (docs/performance.md). Here each row is one string with
every value escaped exactly as the template's autoescape would
(`test_load.py` compares the two).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def public_rows(rows: list[dict[str, Any]]) -> SafeString:
    """`<tr>` per row dict (public.Listing.as_dicts): name, address, country,
    sector, members (with the names of members that consent to be named)."""
    out = []
    for f in rows:
        named = f["named_members"]
        names = f' <span class="muted">({escape(", ".join(named))})</span>' if named else ""
        out.append(
            f"<tr><td>{escape(str(f['name']))}</td><td>{escape(str(f['address']))}</td>"
            f"<td>{escape(str(f['country_name']))}</td><td>{escape(str(f['sector']))}</td>"
            f"<td>{escape(str(f['members']))}{names}</td></tr>\n"
        )
    return mark_safe("".join(out))  # every value escaped above
