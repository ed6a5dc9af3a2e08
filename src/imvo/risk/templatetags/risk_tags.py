"""`{{ level|level_word }}`: a risk level (high, medium, low) in the page's language.

The scan keeps levels as their English codes (CSS classes, exports, the API); a
person reads the word.
"""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

LEVEL_WORDS: dict[str, Promise] = {"high": _("high"), "medium": _("medium"), "low": _("low")}


@register.filter
def level_word(level: str) -> str:
    return str(LEVEL_WORDS.get(level, level))
