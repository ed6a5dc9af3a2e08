"""Why a supplier list failed, kept so that each reader reads it in their own language.

The worker that reads a list runs in one language (its own, or the uploader's at
upload); the member, a Dutch colleague and the secretariat read the failure
later, each in theirs. So a failure is stored as the English message (marked for
translation where it is written) and its values, and put in the reader's
language when a page shows it: `Reason.render`. Whole numbers are grouped and
decimals written as the reader's language writes them ("1.000", "25,5" in
Dutch); a value that is itself a marked message (`translated`) is translated too.

A failure is either the file's (`FILE`: it cannot be read: not a list, damaged,
too big, a zip bomb, too many rows) or the platform's (`PROCESSING`: an
unexpected error, a stored file that no longer matches its checksum). The member
is told which: "This file could not be read" asks for another file, "Processing
failed" for running it again.

Plain Python beside Django's translation: it also renders (in English) where
Django is not set up (the memory-capped subprocess of the parser tests, a script).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FILE = "file"
PROCESSING = "processing"

Value = str | int | float


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def _filled(text: str, values: dict[str, Any]) -> str:
    if not values:
        return text
    try:
        return text % values
    except (KeyError, ValueError, TypeError):  # a stored reason whose values do not fit
        return text


@dataclass(frozen=True)
class Reason:
    """A message for a person, as written (English, with `%(name)s` placeholders)
    and its values."""

    text: str
    params: dict[str, Value] = field(default_factory=dict)
    translated: tuple[str, ...] = ()  # params whose value is a marked message

    def render(self) -> str:
        """The message in the active language (English without Django)."""
        if not _django_ready():
            plain = {k: f"{v:,}" if isinstance(v, int) else v for k, v in self.params.items()}
            return _filled(self.text, plain)
        from django.utils.formats import number_format
        from django.utils.translation import gettext

        values: dict[str, Any] = {}
        for name, value in self.params.items():
            if name in self.translated and isinstance(value, str):
                values[name] = gettext(value)
            elif isinstance(value, bool):
                values[name] = value
            elif isinstance(value, int):
                values[name] = number_format(value, force_grouping=True)
            elif isinstance(value, float):
                values[name] = number_format(value, 1)
            else:
                values[name] = value
        return _filled(gettext(self.text), values)

    def __str__(self) -> str:
        return self.render()

    def stored(self, kind: str) -> dict[str, Any]:
        """What `SupplierList.failure` keeps: the kind of failure and the reason."""
        return {
            "kind": kind,
            "text": self.text,
            "params": self.params,
            "translated": list(self.translated),
        }

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> Reason | None:
        """The reason kept by `stored`, or None for a list without one (failed
        before reasons were kept: its `error` text is shown as written)."""
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str) or not text:
            return None
        params = data.get("params")
        translated = data.get("translated")
        return cls(
            text,
            {
                str(k): v
                for k, v in (params if isinstance(params, dict) else {}).items()
                if isinstance(v, str | int | float)
            },
            tuple(str(t) for t in (translated if isinstance(translated, list) else [])),
        )
