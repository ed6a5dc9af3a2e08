"""A scan's reasons as a person reads them, in the page's language.

The scan stores each reason in English (`scan.py`): its label (the indicator,
`gettext_noop`), what was found (`shown`: "this good is listed: Cocoa") and the
parts to write it anew (`goods` and `listed` for ILAB, `value` or `raw` for WGI
and ITUC). Pages and the files people open write both in the reader's language:
"US DOL ILAB List of Goods: kinderarbeid: dit product staat op de lijst: Cacao",
"percentiel 12,3". A reason stored before its parts were kept reads as stored.
Programs (JSON, the API, `imvo scan`) keep the English (`scan.reason_text`).
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from imvo.risk.goods import good_label
from imvo.risk.scan import source_note

# The ITUC Global Rights Index's ratings as the index names them (the bundled table's
# raw text is "3 (Regular violations)").
ITUC_RATINGS: dict[float, tuple[str, str]] = {
    1.0: ("1", gettext_noop("Sporadic violations")),
    2.0: ("2", gettext_noop("Repeated violations")),
    3.0: ("3", gettext_noop("Regular violations")),
    4.0: ("4", gettext_noop("Systematic violations")),
    5.0: ("5", gettext_noop("No guarantee of rights")),
    5.5: ("5+", gettext_noop("No guarantee - breakdown of rule of law")),
}


def shown_text(reason: dict[str, Any]) -> str:
    """What a reason found, in the reader's language: "percentiel 12,3", "dit product
    staat op de lijst: Cacao"."""
    indicator = reason.get("indicator", "")
    if indicator == "ilab.good" and "goods" in reason:
        goods = ", ".join(good_label(g) for g in reason["goods"])
        if reason.get("listed") == "own":
            return _("this good is listed: %(goods)s") % {"goods": goods}
        return _("goods of this sector listed: %(goods)s") % {"goods": goods}
    if indicator.startswith("wgi.") and reason.get("value") is not None:
        return _("percentile %(p)s") % {"p": number_format(reason["value"], 1)}
    if indicator == "ituc.rating" and reason.get("value") in ITUC_RATINGS:
        rating, words = ITUC_RATINGS[reason["value"]]
        return _("rating %(r)s") % {"r": f"{rating} ({_(words)})"}
    if indicator == "ituc.rating" and reason.get("raw"):
        return _("rating %(r)s") % {"r": reason["raw"]}
    if indicator == "unknown":
        return _("treated as 0.5 (unknown is not low)")
    return str(reason.get("shown", ""))


def reason_text(reasons: list[dict[str, Any]]) -> str:
    """Reasons as one line in the reader's language: indicator, what was found, source."""
    return "; ".join(f"{_(r['label'])}: {shown_text(r)}{source_note(r)}" for r in reasons)
