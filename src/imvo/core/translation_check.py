"""Find strings a page shows untranslated in a language.

While a page renders, every gettext lookup is recorded together with whether
the active language's own catalogue has it; a lookup that falls through to the
fallback (Dutch, the default language, or the English source) is untranslated.
Used by the test suite (`test_translations`) for every shipped language.

Content is checked too: `missing_content` lists every stored text (a
covenant's name, an agreement, a decision...) that exists in one language
only, which the reader of the other language would see marked as a fallback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model
from django.utils.translation import trans_real

from imvo.core.i18n import Bilingual

_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@contextmanager
def recording() -> Iterator[list[tuple[str, str, bool]]]:
    """Yield a list that fills with (language, msgid, translated) while active."""
    seen: list[tuple[str, str, bool]] = []
    cls = trans_real.DjangoTranslation
    original_gettext, original_ngettext = cls.gettext, cls.ngettext

    def gettext(self, message):  # type: ignore[no-untyped-def]
        seen.append((self.language(), message, message in self._catalog))
        return original_gettext(self, message)

    def ngettext(self, msgid1, msgid2, n):  # type: ignore[no-untyped-def]
        try:
            self._catalog.plural(msgid1, n)
            found = True
        except KeyError:
            found = False
        seen.append((self.language(), msgid1, found))
        return original_ngettext(self, msgid1, msgid2, n)

    cls.gettext, cls.ngettext = gettext, ngettext  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        cls.gettext, cls.ngettext = original_gettext, original_ngettext  # type: ignore[method-assign]


def untranslated(seen: list[tuple[str, str, bool]], language: str) -> set[str]:
    """The msgids looked up in `language` that its catalogue lacks (ignoring symbols-only ids)."""
    return {
        msgid.split("\x04")[-1]
        for lang, msgid, found in seen
        if lang == language and not found and _LETTERS.search(msgid)
    }


# --- content: the rows users read, in both languages ------------------------------


@dataclass(frozen=True)
class MissingContent:
    """One content field of one row that lacks a language."""

    model: str  # app_label.ModelName
    pk: object
    field: str
    missing: str  # the language code without a text
    present: str  # the text that is shown instead (as a fallback, marked)


def bilingual_fields(model: type[Model]) -> list[str]:
    """The content fields a model reads in the reader's language (its `Bilingual`s)."""
    return [
        name
        for klass in model.__mro__
        for name, attr in vars(klass).items()
        if isinstance(attr, Bilingual)
    ]


def missing_content() -> list[MissingContent]:
    """Every stored content text that exists in one language only.

    Walks every installed model with `Bilingual` fields (core knows no domain
    app: it asks Django's registry), one query per field and language."""
    out: list[MissingContent] = []
    for model in apps.get_models():
        for name in bilingual_fields(model):
            for missing, present in (("en", "nl"), ("nl", "en")):
                rows = (
                    model._default_manager.filter(**{f"{name}_{missing}": ""})
                    .exclude(**{f"{name}_{present}": ""})
                    .values_list("pk", f"{name}_{present}")
                )
                out += [
                    MissingContent(model._meta.label, pk, name, missing, str(text)[:80])
                    for pk, text in rows
                ]
    return out
