"""`{{ q.text|framework_text }}`: a framework's text in the reader's language
(`framework_templates.shown`: template texts translated, the secretariat's own as written)."""

from __future__ import annotations

from django import template

from imvo.duediligence.framework_templates import shown

register = template.Library()


@register.filter
def framework_text(text: object) -> str:
    """The text shown for a framework's name, description, element title or question."""
    return shown(text) if isinstance(text, str) else ("" if text is None else str(text))
