"""Show content in the reader's language, and say so where it is not.

``{{ covenant.name|marked }}``: a text that fell back to the other language
(`imvo.core.i18n.Localised`) is wrapped in its ``lang`` (screen readers and
hyphenation follow it) and followed by a small visible marker "(NL)" whose
title explains it. Use it in page content, not inside ``<title>`` or an
attribute (there the plain ``{{ covenant.name }}`` is right).

``{% language_marker code %}``: the same marker for a text written in one
language only (a comment, a signal), when the reader reads another.

``{{ case.reference|ltr }}``: a code written left to right whatever the page's
direction (a case number "2026-7KQ4M9" on an Arabic page read "7KQ4M9-2026"),
isolated so it does not reorder the sentence around it either.

``{% language_options LANG %}``: the ``<option>``s of the language switch in
every page's header, the current language selected.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from imvo.core.i18n import Localised, reader_language

register = template.Library()


def _marker(lang: str) -> SafeString:
    names = {"nl": _("Dutch"), "en": _("English")}
    return format_html(
        ' <small class="lang-fallback" title="{}">({})</small>',
        _("Not available in your language; shown in %(language)s.")
        % {"language": names.get(lang, lang)},
        lang.upper(),
    )


@register.filter(is_safe=True)
def marked(value: object) -> SafeString:
    if isinstance(value, Localised) and value.fallback:
        return format_html('<span lang="{}">{}</span>{}', value.lang, value, _marker(value.lang))
    return SafeString(conditional_escape(str(value)))


@register.filter(is_safe=True)
def ltr(value: object) -> SafeString:
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.simple_tag
def language_marker(lang: str) -> SafeString:
    code = (lang or "")[:2]
    if not code or code == reader_language():
        return SafeString("")
    return _marker(code)


@register.simple_tag
def language_options(current: str) -> SafeString:
    """The language switch's options, each named in its own language: what
    `{% get_language_info_list %}` and a loop wrote on every page (a fifth of
    the header's rendering), made once per language and language list."""
    return _language_options(current, tuple(code for code, _name in settings.LANGUAGES))


@lru_cache(maxsize=64)
def _language_options(current: str, codes: tuple[str, ...]) -> SafeString:
    return SafeString(
        "".join(
            format_html(
                '<option value="{}" lang="{}"{}>{}</option>',
                code,
                code,
                SafeString(" selected") if code == current else "",
                get_language_info(code)["name_local"],
            )
            for code in codes
        )
    )
