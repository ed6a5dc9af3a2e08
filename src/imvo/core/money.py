"""Amounts of money as a reader of the page reads them.

`eur(Decimal("1500000"))` is "€ 1.500.000" in Dutch and "€1,500,000" in
English; cents are shown only when there are any ("€ 1.500,50"). The grouping
and decimal separators are the active language's Django formats; where the
euro sign goes is a translation ("€%(amount)s", context "money").

Only pages and messages use this: downloads (CSV, XLSX, JSON) and the API
keep plain numbers ("1500000.00"), which programs read whatever the language.
The setting `USE_THOUSAND_SEPARATOR` is left off on purpose: it would group
every number a template shows, years ("2.026") and input values included.
"""

from __future__ import annotations

from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import pgettext


def eur(value: Decimal | int | float | None) -> str:
    """`value` euros in the active language; "" for None."""
    if value is None:
        return ""
    return pgettext("money", "€%(amount)s") % {"amount": floatformat(value, "-2g")}
