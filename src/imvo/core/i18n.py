"""Content in both languages: the one mechanism for what users read on a covenant.

Content (a covenant's name, its agreements and KPIs, governance bodies,
agenda items, decisions, minutes) is stored side by side as ``<field>_nl`` and
``<field>_en`` and read in the reader's language through ``Bilingual`` on the
model (``name = Bilingual()``) or ``pick(obj, "name")``. Where the reader's
language is missing, the other one is shown and the value says so: it is a
``Localised`` string that knows the language it is in and whether it is a
fallback, and the template filter ``|marked`` (``core/templatetags/imvo_i18n``)
wraps a fallback in ``lang`` and adds a visible "(NL)" marker. The content
check (`imvo.core.translation_check.missing_content`) lists the rows that lack
a language, the way the catalogue check lists interface strings.

Why not django-modeltranslation: the fields were already stored side by side
under the same names it would create; adopting it would have renamed every
column for no gain in what the reader sees, and it has no fallback marker.
"""

from typing import Self, overload

from django.utils.translation import get_language, gettext_noop

CONTENT_LANGUAGES = ("nl", "en")


class Localised(str):
    """A content text with the language it is actually in.

    ``fallback`` is true when the reader's language was missing and this is
    the other language's text; templates mark it (``|marked``)."""

    lang: str
    fallback: bool

    def __new__(cls, value: str, lang: str, fallback: bool = False) -> Self:
        obj = super().__new__(cls, value)
        obj.lang = lang
        obj.fallback = fallback
        return obj


def reader_language() -> str:
    return (get_language() or "nl")[:2]


def pick(obj: object, field: str) -> Localised:
    """obj.<field>_<lang> in the reader's language, else the other language marked as
    a fallback (a reader in a third language gets English first, then Dutch)."""
    lang = reader_language()
    order = [lang, "en", "nl"]
    for code in dict.fromkeys(order):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return Localised(str(value), code, fallback=code != lang)
    return Localised("", lang)


class Bilingual:
    """A read-only attribute that picks ``<attr>_nl`` or ``<attr>_en`` in the
    reader's language (``pick``): ``name = Bilingual()`` on a model with the
    fields ``name_nl`` and ``name_en``. One line instead of a property each."""

    field = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> Localised: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Self | Localised:
        if obj is None:
            return self
        return pick(obj, self.field)


# Django strings its own catalogues do not translate yet; listed so makemessages finds them.
DJANGO_GAPS = [gettext_noop("- Select an option -")]
