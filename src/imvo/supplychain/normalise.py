"""Normalisers for production-location records: countries, facility names, addresses.

Companies write the same factory in many ways: "P.T. Sinar Jaya Tbk", "PT SINAR
JAYA", "S I N A R  J A Y A"; "Viet Nam", "Vietnam", "VN", "Veitnam". Matching a
supplier list against the facility registry compares *normalised* values, so
these functions decide what counts as "the same writing".

Pure functions, no Django: shared by the web job, `imvo match` and the benchmark.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import polars as pl
from anyascii import anyascii

from imvo.core import countries

# --- countries ----------------------------------------------------------------------

# One vocabulary for the platform: core/countries.py (aliases, ISO codes with XK,
# display names). Re-exported: the parser and the matcher call it from here.
normalise_country = countries.normalise_country
# Lower-case ASCII words: how short texts (column headers) are compared.
_key = countries.comparable_key

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


# --- names and addresses ---------------------------------------------------------

# Legal-form words dropped from facility names: they vary between lists ("Co.,
# Ltd" vs "Limited") and say nothing about which factory it is.
LEGAL_FORMS = frozenset(
    [
        "co",
        "company",
        "companies",
        "ltd",
        "ltda",
        "limited",
        "llc",
        "llp",
        "lp",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "plc",
        "pte",
        "pvt",
        "private",
        "sdn",
        "bhd",
        "tbk",
        "pt",
        "cv",
        "bv",
        "nv",
        "gmbh",
        "ag",
        "kg",
        "mbh",
        "ohg",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sl",
        "sro",
        "doo",
        "ad",
        "as",
        "ab",
        "oy",
        "kft",
        "zrt",
        "jsc",
        "ojsc",
        "ooo",
        "zao",
        "pjsc",
        "tic",
        "san",
        "sti",
        "ve",
        "ltdsti",
        "sanayi",
        "ticaret",
        "limitedsirketi",
        "sirketi",
        "aps",
        "ehf",
        "se",
        "scs",
        "snc",
        "sc",
        "sac",
        "eirl",
    ]
)

# Legal forms that are also words, or pieces of a name the source broke into fragments
# ("se" in "m e r c u r y appar e l se e th awaka", "as", "co"): dropped only at
# either end of the name or beside another legal form ("sinar jaya co ltd factory
# 2"), never alone in the middle. ("ve", Turkish "and", goes wherever it stands.)
POSITIONAL_FORMS = frozenset(w for w in LEGAL_FORMS if len(w) <= 2) - {"ve"}


def _without_legal_forms(words: list[str]) -> list[str]:
    """The words less legal forms: a run of legal-form words goes when it touches
    either end of the name, holds more than one word or holds one that is not in
    POSITIONAL_FORMS; a single positional form in the middle stays."""
    out: list[str] = []
    i, n = 0, len(words)
    while i < n:
        if words[i] not in LEGAL_FORMS:
            if words[i] != "and":
                out.append(words[i])
            i += 1
            continue
        j = i
        while j < n and words[j] in LEGAL_FORMS:
            j += 1
        run = words[i:j]
        if i == 0 or j == n or len(run) > 1 or run[0] not in POSITIONAL_FORMS:
            i = j
            continue
        out.append(run[0])
        i = j
    return out


# Multi-word legal forms after punctuation is gone: "s a de c v", "co ltd".
_LEGAL_SEQUENCES = re.compile(
    r"\b(?:sa de cv|s a de c v|s de rl de cv|s de r l de c v|de cv|"
    r"san ve tic|san tic|tic ve san|ve tic|ith ihr)\b"
)

# Address words written many ways; the right side is the one kept.
ADDRESS_ABBREVIATIONS: dict[str, str] = {
    "road": "rd",
    "street": "st",
    "str": "st",
    "strasse": "st",
    "avenue": "ave",
    "av": "ave",
    "avda": "ave",
    "boulevard": "blvd",
    "number": "no",
    "nr": "no",
    "num": "no",
    "building": "bldg",
    "bld": "bldg",
    "floor": "fl",
    "flr": "fl",
    "industrial": "ind",
    "industry": "ind",
    "indl": "ind",
    "district": "dist",
    "dt": "dist",
    "province": "prov",
    "village": "vill",
    "vlg": "vill",
    "highway": "hwy",
    "lane": "ln",
    "mahallesi": "mah",
    "mahalle": "mah",
    "sokak": "sok",
    "sokagi": "sok",
    "caddesi": "cad",
    "cd": "cad",
    "block": "blk",
    "estate": "est",
    "zone": "zone",
    "city": "",
    "town": "",
}

# Two or more single letters in a row: "p t", "s a", "a b c". Digits are left
# alone: "no 8 2" in an address is a number and a unit, not a spelled word.
_SPACED_LETTERS = re.compile(r"\b(?:[a-z] )+[a-z]\b")


def _join_spaced(text: str) -> str:
    """'a b c textiles' -> 'abc textiles': letters typed with spaces between them."""
    if " " not in text:
        return text
    return _SPACED_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), text)


def _base(value: str | None) -> str:
    if not value:
        return ""
    text = value if value.isascii() else anyascii(value)
    # "&" joins names ("H&M") and "'" sits inside them ("O'Neill"): keep words together.
    text = text.lower().replace("&", " and ").replace("'", "").replace("`", "")
    text = _NON_ALNUM.sub(" ", text).strip()
    return _join_spaced(text)


@lru_cache(maxsize=200_000)
def normalise_name(value: str | None) -> str:
    """The comparable form of a facility name.

    ASCII (transliterated), lower case, punctuation gone, spaced-out letters
    joined, legal-form words ("co. ltd", "s.a. de c.v.", "a.s.") dropped (the short
    ones that are also words only at the ends: `POSITIONAL_FORMS`). When a name is
    nothing but legal forms, the words are kept rather than return "".
    """
    text = _base(value)
    # Dropping a word can leave letters that now read as spaced out ("a co b c"):
    # repeat until nothing changes, so normalising twice gives the same result.
    for _ in range(5):
        stripped = _LEGAL_SEQUENCES.sub(" ", text)
        words = _without_legal_forms(stripped.split())
        new = _join_spaced(" ".join(words)) if words else text
        if new == text:
            break
        text = new
    return text


# A number typed or read with a letter for a digit ("# 33o" for 330: the letters o and i
# look like 0 and 1, and OCR of scanned lists and hurried typing both swap them). A word
# that starts with a digit, has at least two digits and otherwise only o or i is such a
# number: the letters are read as the digits they stand for. A real unit letter stays
# ("21a"), as does a number with one digit ("2o" could be a unit) and a word that starts
# with a letter ("no", "lot"). Not the letter l, although it looks like 1 too: it is a
# unit letter in Singapore ("97L Lorong Tawas", "188L Tanjong Katong Rd") and the middle
# of Canadian postcodes ("M6G 1L4"): nearly 300 addresses of the real sets, where o and i occur
# in no such word but "# 33o". Measured in docs/supplychain.md ("Letters typed for digits").
_MISREAD_NUMBER = re.compile(r"^\d[0-9oi]*$")
_MISREAD_DIGITS = str.maketrans("oi", "01")


def _misread_number(word: str) -> str:
    if _MISREAD_NUMBER.match(word) and not word.isdigit() and sum(c.isdigit() for c in word) >= 2:
        return word.translate(_MISREAD_DIGITS)
    return word


def normalise_address(value: str | None) -> str:
    """The comparable form of an address: ASCII, lower case, common words abbreviated,
    numbers with a letter o or i for a digit read as numbers (`_misread_number`)."""
    text = _base(value)
    for _ in range(5):
        words = [
            a
            for a in (ADDRESS_ABBREVIATIONS.get(w, w) for w in map(_misread_number, text.split()))
            if a
        ]
        new = _join_spaced(" ".join(words))
        if new == text:
            break
        text = new
    return text


def normalise_text(value: str | None) -> str:
    """Trimmed text with inner whitespace collapsed (for display values, not matching)."""
    if value is None:
        return ""
    return " ".join(str(value).split())


# --- the same, for whole columns ---------------------------------------------------
#
# A registry of a million facilities is normalised column-wise with polars (Rust
# regexes, all cores). Values the fast path cannot handle exactly like the
# functions above (non-ASCII text, spaced-out letters, names that are only legal
# forms) go through the Python functions, so both paths always agree (a
# property test checks it).

_LEGAL_WORDS_RE = r"\b(?:" + "|".join(sorted((LEGAL_FORMS - POSITIONAL_FORMS) | {"and"})) + r")\b"
# A name with a positional form anywhere goes the Python way (where it stands matters).
_POSITIONAL_RE = r"\b(?:" + "|".join(sorted(POSITIONAL_FORMS)) + r")\b"


def _base_expr(col: str) -> pl.Expr:
    return (
        pl.col(col)
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all("&", " and ", literal=True)
        .str.replace_all(r"['`]", "")
        .str.replace_all(r"[^a-z0-9]+", " ")
        .str.strip_chars()
    )


def _with_fallback(
    raw: pl.Series,
    fast: pl.Series,
    func: Callable[[str | None], str],
    also: pl.Series | None = None,
) -> pl.Series:
    slow = raw.fill_null("").str.contains(r"[^\x00-\x7f]") | fast.str.contains(
        r"(?:^| )[a-z] [a-z](?: |$)"
    )
    slow = slow | (fast == "")
    if also is not None:
        slow = slow | also
    if not slow.any():
        return fast
    idx = slow.arg_true()
    fixed = [func(v) for v in raw.gather(idx).to_list()]
    return fast.scatter(idx, pl.Series(fixed, dtype=pl.String))


def normalise_names(values: pl.Series) -> pl.Series:
    """`normalise_name` for a whole column."""
    frame = pl.DataFrame({"v": values.cast(pl.String)})
    base = frame.select(_base_expr("v")).to_series()
    fast = (
        base.str.replace_all(_LEGAL_SEQUENCES.pattern, " ")
        .str.replace_all(_LEGAL_WORDS_RE, " ")
        .str.replace_all(r" +", " ")
        .str.strip_chars()
    )
    positional = base.str.contains(_POSITIONAL_RE)
    return _with_fallback(frame.to_series(), fast, normalise_name, positional).alias(values.name)


def normalise_addresses(values: pl.Series) -> pl.Series:
    """`normalise_address` for a whole column."""
    frame = pl.DataFrame({"v": values.cast(pl.String)})
    # Words are replaced with a space on each side; two passes because adjacent
    # words share the space between them (no replacement creates another key).
    patterns = [f" {k} " for k in ADDRESS_ABBREVIATIONS]
    targets = [f" {v} " if v else " " for v in ADDRESS_ABBREVIATIONS.values()]
    padded = pl.lit(" ") + _base_expr("v") + pl.lit(" ")
    fast = frame.select(
        padded.str.replace_many(patterns, targets)
        .str.replace_many(patterns, targets)
        .str.replace_all(r" +", " ")
        .str.strip_chars()
    ).to_series()
    # An empty address is empty on both paths; only the non-empty ones may need Python.
    raw = frame.to_series()
    slow = (
        raw.fill_null("").str.contains(r"[^\x00-\x7f]")
        | fast.str.contains(r"(?:^| )[a-z] [a-z](?: |$)")
        # a number with a letter for a digit (`_misread_number`) goes the Python way
        | fast.str.contains(r"\b\d[0-9oi]*[oi][0-9oi]*\b")
    )
    if not slow.any():
        return fast.alias(values.name)
    idx = slow.arg_true()
    fixed = [normalise_address(v) for v in raw.gather(idx).to_list()]
    return fast.scatter(idx, pl.Series(fixed, dtype=pl.String)).alias(values.name)
