"""``{{ user|person }}``: a person as pages name them (``accounts.seams.person_name``)."""

from __future__ import annotations

from typing import Any

from django import template

from imvo.accounts.seams import person_name, recorded_person

register = template.Library()


@register.filter
def person(user: Any) -> str:
    return person_name(user) if user is not None else ""


@register.filter
def recorded(user: Any) -> str:
    """``{{ step.by|recorded }}``: who did it, "Former user" for a removed account."""
    return recorded_person(user)
