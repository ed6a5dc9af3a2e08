"""Dates in a report as its language writes them.

The report's data (the published snapshot) keeps dates as ISO 8601 text, for
programs; ``{{ report.as_of|day }}`` shows one as "31 december 2025" in the
Dutch edition and "31 December 2025" in the English one (day first in both).
"""

from __future__ import annotations

from datetime import date

from django import template

from imvo.reporting.services.build import long_date

register = template.Library()


@register.filter
def day(value: object) -> str:
    """An ISO date (text or date) in the active language; anything else as it is."""
    if isinstance(value, date):
        return long_date(value)
    try:
        return long_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")
