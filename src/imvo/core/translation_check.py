"""Find strings a page shows untranslated in a language.

While a page renders, every gettext lookup is recorded together with whether
the active language's own catalogue has it; a lookup that falls through to the
fallback (Dutch, the default language, or the English source) is untranslated.
Used by the test suite (`test_translations`) for every shipped language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import trans_real

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
