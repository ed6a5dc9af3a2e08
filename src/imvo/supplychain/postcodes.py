"""Postcodes that lost their leading zero, and the countries where that can be told.

A spreadsheet keeps a column of postcodes as numbers unless it is told to keep
text: "01067" (Dresden) becomes 1067, "00184" (Rome) 184, and a CSV saved from it
holds the number. Where a country's postcodes are all digits of one fixed length
and may begin with 0, a shorter postcode of digits only lost its zeros: it is
read with them again, and the row says so (a warning: the member checks it and
formats the column as text). Countries whose postcodes never begin with 0
(Bangladesh, India, Vietnam...) or have no fixed length are not in the table: a
short postcode there is what the member wrote, kept as written.

The table is small on purpose: the covenants' members' production and home
countries whose postcodes start with 0 somewhere (Universal Postal Union's
addressing pages, checked against a known address with a 0 for each). Pattern:
`0` a digit, anything else written as is ("00-000" for Poland).
"""

from __future__ import annotations

FIXED = {
    "AM": "0000",  # Yerevan 0010
    "AU": "0000",  # Darwin 0800
    "BR": "00000-000",  # São Paulo 01310-100
    "CN": "000000",  # Hohhot 010000
    "CO": "000000",  # Medellín 050001
    "DE": "00000",  # Dresden 01067
    "DK": "0000",  # 0800 Høje-Taastrup
    "DZ": "00000",  # Adrar 01000
    "EC": "000000",  # Cuenca 010101
    "ES": "00000",  # Barcelona 08001
    "FI": "00000",  # Helsinki 00100
    "FR": "00000",  # Bourg-en-Bresse 01000
    "GE": "0000",  # Tbilisi 0105
    "IT": "00000",  # Rome 00184
    "JP": "000-0000",  # Sapporo 060-0001
    "KE": "00000",  # Nairobi 00100
    "KR": "00000",  # Seoul 03154
    "KZ": "000000",  # Almaty 050000
    "LK": "00000",  # Colombo 00100
    "LT": "00000",  # Vilnius 01001
    "MM": "00000",  # Mandalay 05021
    "MX": "00000",  # Mexico City 01000
    "MY": "00000",  # Kangar 01000
    "NO": "0000",  # Oslo 0150
    "NZ": "0000",  # Whangārei 0110
    "PL": "00-000",  # Warsaw 00-001
    "RO": "000000",  # Bucharest 010011
    "TR": "00000",  # Adana 01010
    "UA": "00000",  # Kyiv 01001
    "US": "00000",  # Boston 02108
    "ZA": "0000",  # Pretoria 0002
}

# At most this many zeros are put back: "184" is Rome's 00184, "10" in Italy is no
# postcode that lost its zeros but one that lost more, and is left to the member.
MAX_RESTORED = 2


def restore(text: str, country: str | None) -> tuple[str, str | None]:
    """The postcode as it was written before a spreadsheet took it for a number, and
    the row's warning when it was changed (or when it is too short to be one)."""
    pattern = FIXED.get(country or "")
    if not pattern or not text.isdigit():
        return text, None
    digits = pattern.count("0")
    missing = digits - len(text)
    if missing <= 0:
        return text, None
    if missing > MAX_RESTORED:
        return text, (
            f"'{text}' has {len(text)} digits, a postcode in {country} has {digits}; "
            "kept as written, check it"
        )
    padded = iter(text.zfill(digits))
    restored = "".join(next(padded) if c == "0" else c for c in pattern)
    return restored, (
        f"'{text}' has {len(text)} digits, a postcode in {country} has {digits}: read as "
        f"'{restored}' (a spreadsheet that keeps postcodes as numbers drops their "
        "leading zeros; format the column as text)"
    )
