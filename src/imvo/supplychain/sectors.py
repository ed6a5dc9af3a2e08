"""Sector names on the public list, shown in the reader's language.

A location's sector is text a member uploaded ("Apparel", "footwear",
"Textiles"...) and is stored, filtered on and exported as written: the
database has no Dutch and English version of it. The public page translates it
when shown instead: a sector whose folded form is one of `KNOWN` (the sector
names the covenants' members use, marked as gettext msgids with context
"sector") is looked up in the catalogue; any other sector is shown as uploaded.
Downloads (CSV, XLSX, JSON) keep the uploaded text: they are machine-readable.
"""

from __future__ import annotations

from django.utils.translation import pgettext

from imvo.core.text import fold


def _sector(name: str) -> str:
    """Mark `name` as a msgid with context "sector" (makemessages: pgettext_noop)."""
    return name


# Folded sector -> msgid (context "sector").
KNOWN: dict[str, str] = {
    fold(name): name
    for name in (
        _sector("Apparel"),
        _sector("Garment"),
        _sector("Garments"),
        _sector("Textile"),
        _sector("Textiles"),
        _sector("Home textiles"),
        _sector("Footwear"),
        _sector("Leather"),
        _sector("Accessories"),
        _sector("Wet processing"),
        _sector("Spinning"),
        _sector("Weaving"),
        _sector("Knitting"),
        _sector("Dyeing"),
        _sector("Raw materials"),
        _sector("Metals"),
        _sector("Natural stone"),
        _sector("Food"),
        _sector("Agriculture"),
        _sector("Timber"),
    )
}


def sector_label(sector: str) -> str:
    """`sector` as the public page shows it in the active language."""
    msgid = KNOWN.get(fold(sector.strip()))
    return pgettext("sector", msgid) if msgid else sector
