"""One country vocabulary for every app: what people write -> ISO 3166-1 alpha-2,
and the one name the platform shows for a code.

Supplier lists (upload, matching), risk indicator data sets, the risk scan, the
public list and map, reports and exports all resolve and name countries here,
so "Kosovo" / "XK" means the same on every page and Taiwan is named one way.

- `normalise_country(text)`: alpha-2 for a country as people write it: alpha-2
  and alpha-3 codes, English names (short, official, common), Dutch names,
  aliases and misspellings seen in real lists, old World Bank codes; None when
  unknown. Kosovo is `XK` (a user-assigned code the registries use; pycountry
  does not carry it).
- `display_name(code, language)`: the short common name ("Taiwan", "Bolivia",
  "South Korea", not "Korea, Republic of") in the page's language (English, or
  Dutch from iso-codes' translations); the code itself when unknown.
- `is_code(code)`, `CODES`: the codes the platform accepts.
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache

import pycountry
from anyascii import anyascii
from rapidfuzz import fuzz, process

# Names people actually write that pycountry does not know (or knows differently),
# and misspellings seen in real supplier lists and data sets. Keys are already
# normalised (`_key`: lower-case ASCII, single spaces, no punctuation).
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
    # Publishers' spellings (risk indicator data sets) and old World Bank codes.
    "korea north": "KP",
    "kyrgyz republic": "KG",
    "democratic republic of the congo": "CD",
    "congo democratic republic of the": "CD",
    "drc": "CD",
    "congo rep": "CG",
    "republic of the congo": "CG",
    "lao pdr": "LA",
    "west bank and gaza": "PS",
    "eswatini": "SZ",
    "ado": "AD",
    "rom": "RO",
    "zar": "CD",
    "tmp": "TL",
    "wbg": "PS",
    "xkx": "XK",
    "ksv": "XK",
    "jey": "JE",
}

# Codes outside ISO 3166-1 that the registries (and Open Supply Hub) use.
EXTRA_NAMES = {"XK": "Kosovo"}
EXTRA_NAMES_NL = {"XK": "Kosovo"}

CODES: frozenset[str] = frozenset({str(c.alpha_2) for c in pycountry.countries} | set(EXTRA_NAMES))

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def comparable_key(value: str) -> str:
    """Lower-case ASCII words separated by one space: the comparable form of a short text."""
    text = value.replace("\u25a1", " ")  # a box where a PDF lost a character
    text = text if text.isascii() else anyascii(text)
    text = text.lower().replace("'", "").replace("`", "")
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=4)
def _translation(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every written form we know (normalised) -> alpha-2."""
    names: dict[str, str] = {}
    nl = _translation("nl")
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names[comparable_key(value)] = c.alpha_2
                names.setdefault(comparable_key(nl.gettext(value)), c.alpha_2)
    names.update(COUNTRY_ALIASES)
    return names


def is_code(code: str | None) -> bool:
    """An alpha-2 code the platform accepts (ISO 3166-1 or XK)."""
    return bool(code) and str(code).upper() in CODES


@lru_cache(maxsize=8192)
def normalise_country(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a country as people write it, or None when unknown.

    Accepts alpha-2 and alpha-3 codes, English names (short, official, common),
    Dutch names, the alias table, and misspellings close enough to one name
    (rapidfuzz ratio >= 85, five letters or more, and clearly ahead of the next name).
    """
    if value is None:
        return None
    key = comparable_key(str(value))
    if not key:
        return None
    # Only a bare two-letter value is a code: "N/A" is "not available", not Namibia.
    if len(key) == 2 and key.isalpha() and str(value).strip().isalpha():
        code = key.upper()
        if code in CODES:
            return code
        return COUNTRY_ALIASES.get(key)
    if len(key) == 3 and key.isalpha():
        c = pycountry.countries.get(alpha_3=key.upper())
        if c:
            return str(c.alpha_2)
    names = _names()
    if key in names:
        return names[key]
    # "Dongguan, China" or "China (PRC)": the last or first word may be the country.
    words = key.split()
    for candidate in (words[-1], words[0], " ".join(words[-2:]), " ".join(words[:2])):
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


@lru_cache(maxsize=2048)
def _display(code: str, language: str) -> str:
    if code in EXTRA_NAMES:
        return EXTRA_NAMES_NL[code] if language == "nl" else EXTRA_NAMES[code]
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    # One policy: the short common name where iso-codes has one ("Taiwan",
    # "Bolivia", "South Korea"), else the short name; translated for Dutch.
    name = str(getattr(c, "common_name", None) or c.name)
    return _translation(language).gettext(name) if language != "en" else name


def display_name(code: str | None, language: str | None = None) -> str:
    """The name shown for an alpha-2 code, in `language` (default: the active one)."""
    if not code:
        return ""
    if language is None:
        from django.utils.translation import get_language

        language = get_language() or "en"
    language = "nl" if language.lower().startswith("nl") else "en"
    return _display(code.upper(), language)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every accepted code with its name in `language` (default: the active one),
    sorted by that name: the list a person picks a country from, so nobody has to
    know that Ethiopia is ET."""
    named = [(code, display_name(code, language)) for code in CODES]
    return sorted(named, key=lambda pair: comparable_key(pair[1]))
