"""Text as a search compares it: one folding function for the stored side and the query.

A search column written with one rule and a query folded with another miss each
other. `str.lower` was both, and still missed: "İstanbul".lower() is "i̇stanbul" (an
i followed by a combining dot above, U+0307), so neither "istanbul" nor "ISTANBUL"
found it; "ı" (the Turkish dotless i) stays "ı", so "KIRKLARELI" did not find
"Kırklareli"; and a complainant typing "Guimaraes" did not find "Guimarães".

`fold` is what every stored search column is written with and every query is
compared with, in Python on both sides: the database only runs a plain LIKE on
text folded already (SQLite's LOWER() and PostgreSQL's lower() follow other rules
than Python's, and each other's, outside ASCII).
"""

from __future__ import annotations

import unicodedata

# Letters with no Unicode decomposition into a base letter and a mark, read as the
# base letter a person types on a keyboard without them (the dotless i above all).
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ŀ": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ð": "d",
    }
)


def fold(text: str) -> str:
    """`text` without case, accents and marks: case-folded (so "ß" is "ss"),
    compatibility-decomposed (NFKD), the combining marks dropped, and the letters
    above that have no decomposition read as their base letter.

    "İstanbul", "ISTANBUL", "istanbul", "İSTANBUL" all fold to "istanbul";
    "Kırklareli" and "KIRKLARELI" to "kirklareli"; "Guimarães" to "guimaraes".
    Folding twice gives what folding once does, and the result holds no character
    the input did not have a letter for (a control character stays itself)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare.translate(_LETTERS).casefold())


def whole_number(value: object, max_digits: int = 9) -> int | None:
    """A request's value as a whole number when it is one written in ASCII digits
    (at most `max_digits` of them), else None.

    `str.isdigit()` is no such test: "²" and "١٢" pass it, and `int("²")` raises
    (a 500 on the public list's `?year=²`); a number of 20 digits passes both and
    then overflows the database's integer (SQLite raises OverflowError, PostgreSQL
    a DataError). Every view reading a number from a request asks here."""
    text = value if isinstance(value, str) else str(value if value is not None else "")
    if not 0 < len(text) <= max_digits or not all("0" <= c <= "9" for c in text):
        return None
    return int(text)
