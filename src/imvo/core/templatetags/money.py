"""`{{ action.budget|eur }}`: an amount in euros as the reader's language writes it
(`imvo.core.money.eur`: "€ 1.500.000" in Dutch, "€1,500,000" in English)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from imvo.core import money

register = template.Library()


@register.filter
def eur(value: Decimal | int | float | None) -> str:
    """The amount with the euro sign and the language's separators; "" for None."""
    return money.eur(value)
