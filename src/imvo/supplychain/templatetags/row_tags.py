"""`{{ message|row_message }}`: a row check's stored message in the page's language."""

from __future__ import annotations

from django import template

from imvo.supplychain import row_messages

register = template.Library()


@register.filter
def row_message(message: str) -> str:
    return row_messages.in_language(message)
