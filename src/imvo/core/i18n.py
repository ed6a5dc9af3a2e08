"""Bilingual (nl/en) content fields stored side by side on a model."""

from typing import Self, overload

from django.utils.translation import get_language, gettext_noop


def pick(obj: object, field: str) -> str:
    """Return obj.<field>_<lang> for the active language, falling back to the other one."""
    lang = (get_language() or "nl")[:2]
    order = [lang, "en", "nl"]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""


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
    def __get__(self, obj: object, owner: type | None = None) -> str: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> Self | str:
        if obj is None:
            return self
        return pick(obj, self.field)


# Django strings its own catalogues do not translate yet; listed so makemessages finds them.
DJANGO_GAPS = [gettext_noop("- Select an option -")]
