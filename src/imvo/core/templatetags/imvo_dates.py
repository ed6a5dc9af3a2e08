"""The ``date`` filter, with Dutch short month names in lower case.

Django's ``M`` ("Jan", "Mar") capitalises the abbreviated month in every
language, so Dutch pages read "7 Mrt 2026" where Dutch writes "7 mrt 2026"
(months are not proper nouns in Dutch; ``F`` already gives "maart"). This filter
replaces Django's builtin ``date`` (it is in ``TEMPLATES["OPTIONS"]["builtins"]``),
so the templates keep writing ``|date:"j M Y"``: in Dutch the ``M`` becomes
``b`` (the same abbreviation, lower case); other languages are unchanged.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaultfilters
from django.utils import formats, translation

register = template.Library()

# Languages that write the abbreviated month in lower case.
LOWERCASE_MONTH_LANGUAGES = frozenset({"nl"})


def _lowercase_month(fmt: str) -> str:
    """``fmt`` with every unescaped ``M`` as ``b`` (a backslash escapes a letter)."""
    out: list[str] = []
    escaped = False
    for char in fmt:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "M":
            char = "b"
        out.append(char)
    return "".join(out)


@register.filter(expects_localtime=True, is_safe=False)
def date(value: Any, arg: str | None = None) -> str:
    """Django's ``date`` filter; Dutch abbreviated months in lower case."""
    language = (translation.get_language() or "").split("-")[0]
    if language in LOWERCASE_MONTH_LANGUAGES:
        arg = _lowercase_month(formats.get_format(arg or "DATE_FORMAT"))
    return defaultfilters.date(value, arg)
