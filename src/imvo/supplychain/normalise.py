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
import pycountry
from anyascii import anyascii
from rapidfuzz import fuzz, process

# --- countries ----------------------------------------------------------------------

# Names people actually write that pycountry does not know (or knows differently),
# and misspellings seen in real supplier lists. Keys are already normalised
# (lower case ASCII, single spaces, no punctuation).
COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "united kingdom": "GB",
    "usa": "US",
    "u s a": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "united states": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "nederland": "NL",
    "deutschland": "DE",
    "duitsland": "DE",
    "belgie": "BE",
    "frankrijk": "FR",
    "spanje": "ES",
    "espana": "ES",
    "italie": "IT",
    "italia": "IT",
    "turkije": "TR",
    "turkey": "TR",
    "turkiye": "TR",
    "china": "CN",
    "p r china": "CN",
    "pr china": "CN",
    "prc": "CN",
    "peoples republic of china": "CN",
    "mainland china": "CN",
    "hong kong": "HK",
    "hongkong": "HK",
    "hk sar": "HK",
    "hong kong sar": "HK",
    "hong kong sar china": "HK",
    "macau": "MO",
    "macao": "MO",
    "taiwan": "TW",
    "taiwan roc": "TW",
    "republic of china": "TW",
    "chinese taipei": "TW",
    "south korea": "KR",
    "korea": "KR",
    "korea south": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "vietnam": "VN",
    "viet nam": "VN",
    "russia": "RU",
    "laos": "LA",
    "burma": "MM",
    "myanmar burma": "MM",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "swaziland": "SZ",
    "macedonia": "MK",
    "czech republic": "CZ",
    "czechia": "CZ",
    "moldova": "MD",
    "iran": "IR",
    "syria": "SY",
    "tanzania": "TZ",
    "bolivia": "BO",
    "venezuela": "VE",
    "palestine": "PS",
    "kosovo": "XK",
    "cape verde": "CV",
    "east timor": "TL",
    "vatican": "VA",
    "brunei": "BN",
    "srilanka": "LK",
    "sri lanka": "LK",
    "bangaldesh": "BD",
    "bangladesh": "BD",
    "bagladesh": "BD",
    "indonesai": "ID",
    "indonisia": "ID",
    "cambodge": "KH",
    "kampuchea": "KH",
    "phillipines": "PH",
    "philipines": "PH",
    "phillippines": "PH",
    "the philippines": "PH",
    "pakisatn": "PK",
    "tunesia": "TN",
    "tunesie": "TN",
    "marocco": "MA",
    "morroco": "MA",
    "marokko": "MA",
    "egypte": "EG",
    "india": "IN",
    "indien": "IN",
    "uae": "AE",
    "u a e": "AE",
    "emirates": "AE",
}

# pycountry carries XK? It does not: Kosovo is a user-assigned code that the
# registries (and Open Supply Hub) use, so it is accepted explicitly.
_EXTRA_CODES = {"XK"}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names[_key(value)] = c.alpha_2
    names.update(COUNTRY_ALIASES)
    return names


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _key(value: str) -> str:
    """Lower-case ASCII words separated by one space: the comparable form of a short text."""
    text = value if value.isascii() else anyascii(value)
    text = text.lower().replace("'", "")
    return _NON_ALNUM.sub(" ", text).strip()


def country_name(code: str) -> str:
    """English short name of an ISO 3166-1 alpha-2 code (the code itself when unknown)."""
    c = pycountry.countries.get(alpha_2=code.upper())
    return c.name if c else code


@lru_cache(maxsize=4096)
def normalise_country(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country as people write it, or None when unknown.

    Accepts alpha-2 and alpha-3 codes, English names (short, official, common),
    Dutch and local names from the alias table, and misspellings close enough to
    one name (rapidfuzz ratio >= 85, five letters or more, and clearly ahead of the next name).
    """
    if value is None:
        return None
    key = _key(str(value))
    if not key:
        return None
    # Only a bare two-letter value is a code: "N/A" is "not available", not Namibia.
    if len(key) == 2 and key.isalpha() and str(value).strip().isalpha():
        code = key.upper()
        if code in _EXTRA_CODES or pycountry.countries.get(alpha_2=code):
            return code
        return COUNTRY_ALIASES.get(key)
    if len(key) == 3 and key.isalpha():
        c = pycountry.countries.get(alpha_3=key.upper())
        if c:
            return str(c.alpha_2)
    names = _country_names()
    if key in names:
        return names[key]
    # "Dongguan, China" or "China (PRC)": the last or first word may be the country.
    words = key.split()
    for candidate in (words[-1], words[0], " ".join(words[-2:])):
        if len(candidate) > 3 and candidate in names:
            return names[candidate]
    # Misspellings: one clear winner among the known names.
    if len(key) < 5:
        return None
    found = process.extract(key, list(names), scorer=fuzz.ratio, limit=2)
    if found and found[0][1] >= 85:
        best_code = names[found[0][0]]
        runner_up = found[1] if len(found) > 1 else None
        if runner_up is None or names[runner_up[0]] == best_code or runner_up[1] < found[0][1] - 4:
            return best_code
    return None


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
    joined, legal-form words ("co. ltd", "s.a. de c.v.", "a.s.") dropped. When a
    name is nothing but legal forms, the words are kept rather than return "".
    """
    text = _base(value)
    # Dropping a word can leave letters that now read as spaced out ("a co b c"):
    # repeat until nothing changes, so normalising twice gives the same result.
    for _ in range(5):
        stripped = _LEGAL_SEQUENCES.sub(" ", text)
        words = [w for w in stripped.split() if w not in LEGAL_FORMS and w != "and"]
        new = _join_spaced(" ".join(words)) if words else text
        if new == text:
            break
        text = new
    return text


def normalise_address(value: str | None) -> str:
    """The comparable form of an address: ASCII, lower case, common words abbreviated."""
    text = _base(value)
    for _ in range(5):
        words = [a for a in (ADDRESS_ABBREVIATIONS.get(w, w) for w in text.split()) if a]
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

_LEGAL_WORDS_RE = r"\b(?:" + "|".join(sorted(LEGAL_FORMS | {"and"})) + r")\b"


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


def _with_fallback(raw: pl.Series, fast: pl.Series, func: Callable[[str | None], str]) -> pl.Series:
    slow = raw.fill_null("").str.contains(r"[^\x00-\x7f]") | fast.str.contains(
        r"(?:^| )[a-z] [a-z](?: |$)"
    )
    slow = slow | (fast == "")
    if not slow.any():
        return fast
    idx = slow.arg_true()
    fixed = [func(v) for v in raw.gather(idx).to_list()]
    return fast.scatter(idx, pl.Series(fixed, dtype=pl.String))


def normalise_names(values: pl.Series) -> pl.Series:
    """`normalise_name` for a whole column."""
    frame = pl.DataFrame({"v": values.cast(pl.String)})
    fast = frame.select(
        _base_expr("v")
        .str.replace_all(_LEGAL_SEQUENCES.pattern, " ")
        .str.replace_all(_LEGAL_WORDS_RE, " ")
        .str.replace_all(r" +", " ")
        .str.strip_chars()
    ).to_series()
    return _with_fallback(frame.to_series(), fast, normalise_name).alias(values.name)


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
    slow = raw.fill_null("").str.contains(r"[^\x00-\x7f]") | fast.str.contains(
        r"(?:^| )[a-z] [a-z](?: |$)"
    )
    if not slow.any():
        return fast.alias(values.name)
    idx = slow.arg_true()
    fixed = [normalise_address(v) for v in raw.gather(idx).to_list()]
    return fast.scatter(idx, pl.Series(fixed, dtype=pl.String)).alias(values.name)
