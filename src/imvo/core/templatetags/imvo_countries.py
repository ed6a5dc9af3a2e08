"""`{{ code|country }}`: an alpha-2 code as a person reads it, "Ethiopië (ET)" on a
Dutch page; what is no code (a facility's country as written) is shown as it is."""

from __future__ import annotations

from django import template

from imvo.core.countries import display_name, is_code

register = template.Library()


@register.filter
def country(code: str | None) -> str:
    return f"{display_name(code)} ({code.upper()})" if code and is_code(code) else (code or "")
