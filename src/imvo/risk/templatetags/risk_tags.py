"""Codes the scan keeps, as a person reads them in the page's language.

`{{ level|level_word }}`: a risk level (high, medium, low); `{{ code|country_label }}`:
"Bangladesh (BD)", as the heat map names countries; `{{ code|sector_label }}`:
"Kleding en textiel" for "garment"; `{{ good|good_label }}`: "Cacao" for the ILAB
good "cocoa" (`imvo.risk.goods`); `{{ reason|reason_shown }}`: what a scan's reason
found, "percentiel 12,3" (`imvo.risk.reasons.shown_text`); `|licence_label` and
`|attribution_line`: a source's licence in the reader's language. The scan keeps the codes (CSS classes, exports,
the API); a person reads the words.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from imvo.core.templatetags.imvo_countries import country
from imvo.risk.goods import good_label as _good_label
from imvo.risk.reasons import shown_text
from imvo.risk.reference import LICENCES, SECTOR_LABELS

register = template.Library()

LEVEL_WORDS: dict[str, Promise] = {"high": _("high"), "medium": _("medium"), "low": _("low")}


@register.filter
def level_word(level: str) -> str:
    return str(LEVEL_WORDS.get(level, level))


@register.filter
def country_label(code: str | None) -> str:
    """A country code as its name and code; what the scan could not read, as written.

    The core `|country` filter, under the name the risk templates use: one
    implementation, so a code reads the same on every page (this one kept a
    lower-case code as written, "Bangladesh (bd)")."""
    return country(code)


@register.filter
def sector_label(code: str | None) -> str:
    return str(SECTOR_LABELS.get(code or "", code or ""))


@register.filter
def good_label(good: str | None) -> str:
    return _good_label(good)


@register.filter
def reason_shown(reason: dict[str, Any]) -> str:
    return shown_text(reason)


@register.filter
def licence_label(licence: str | None) -> str:
    """A bundled source's licence in the reader's language; any other as stated."""
    return gettext(licence) if licence in LICENCES else licence or ""


@register.filter
def attribution_line(line: str) -> str:
    """A stored attribution line ("ITUC Global Rights Index 2024, ... (licence) url")
    with its licence in the reader's language."""
    for licence in LICENCES:
        if f"({licence})" in line:
            return line.replace(f"({licence})", f"({gettext(licence)})")
    return line


@register.filter
def entry_status(code: str | None) -> str:
    """A register entry's status (identified, being addressed...) in the reader's words."""
    from imvo.risk.models import RegisterEntry

    return str(dict(RegisterEntry.Status.choices).get(code or "", code or ""))
