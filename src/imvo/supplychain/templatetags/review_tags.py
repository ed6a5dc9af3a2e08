"""`{{ match|explanation }}`: a match's reasons for the "Why" on processed rows."""

from __future__ import annotations

from django import template

from imvo.supplychain import explain
from imvo.supplychain.models import Match

register = template.Library()


@register.filter
def explanation(match: Match) -> explain.Explanation:
    return explain.explain(match)
