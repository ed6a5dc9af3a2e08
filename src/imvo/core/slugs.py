"""A code or slug that is not taken yet: `base`, else `base-2`, `base-3` ... .

Used where a record gets a readable key made from its name (an organisation's
slug, a due-diligence framework's, element's or question's code)."""

from __future__ import annotations

from collections.abc import Container


def first_free(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3` ... : the first that is not in `taken`."""
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code
