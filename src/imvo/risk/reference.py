"""Reference knowledge of the risk engine: themes, indicator-to-theme mapping, sector profiles.

Everything here is written down on purpose so a person can read why a theme
scores as it does. Theme codes are the OECD chapter codes and the garment
covenant's sub-theme codes (`imvo.covenants.services.OECD_CHAPTERS` and
`GARMENT_THEMES`); sub-themes only exist as Theme rows inside covenants that
have them, so everything here is keyed by theme *code*, never by Theme id.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# The themes the scan scores, most specific first. (code, English label)
SCAN_THEMES: list[tuple[str, str]] = [
    ("child-labour", "Child labour"),
    ("forced-labour", "Forced labour"),
    ("freedom-of-association", "Freedom of association"),
    ("living-wage", "Living wage"),
    ("health-safety", "Health and safety at work"),
    ("discrimination-gender", "Discrimination and gender"),
    ("human-rights", "Human rights"),
    ("water-chemicals-energy", "Water pollution, chemicals, water and energy"),
    ("raw-materials", "Raw materials"),
    ("environment", "Environment"),
    ("animal-welfare", "Animal welfare"),
    ("bribery", "Combating bribery"),
]
THEME_CODES = [c for c, _ in SCAN_THEMES]
THEME_LABELS = {
    "child-labour": _("Child labour"),
    "forced-labour": _("Forced labour"),
    "freedom-of-association": _("Freedom of association"),
    "living-wage": _("Living wage"),
    "health-safety": _("Health and safety at work"),
    "discrimination-gender": _("Discrimination and gender"),
    "human-rights": _("Human rights"),
    "water-chemicals-energy": _("Water pollution, chemicals, water and energy"),
    "raw-materials": _("Raw materials"),
    "environment": _("Environment"),
    "animal-welfare": _("Animal welfare"),
    "bribery": _("Combating bribery"),
}

# Indicator code -> (label, themes it informs, why). Labels stay English in the
# stored reasons of a scan; pages translate them when shown ({% translate r.label %}).
# WGI values are percentile ranks (0 = worst governed, 100 = best): risk = 1 - p/100.
# ITUC ratings run 1 (sporadic violations) .. 5.5 (5+, no rule of law): risk = (r - 1) / 4.5.
# ILAB flags say a country has at least one good listed for child or forced labour.
INDICATORS: dict[str, dict[str, Any]] = {
    "wgi.va": {
        "label": gettext_noop("WGI Voice and Accountability (percentile rank)"),
        "source": "wgi",
        "themes": ["freedom-of-association", "human-rights", "discrimination-gender"],
        "why": _("Freedom of expression and association in the country at large."),
    },
    "wgi.pv": {
        "label": gettext_noop("WGI Political Stability and Absence of Violence (percentile rank)"),
        "source": "wgi",
        "themes": ["human-rights"],
        "why": _("Conflict and political violence raise the risk of grave abuses."),
    },
    "wgi.ge": {
        "label": gettext_noop("WGI Government Effectiveness (percentile rank)"),
        "source": "wgi",
        "themes": ["health-safety", "water-chemicals-energy", "environment", "raw-materials"],
        "why": _("Whether labour and environmental inspection can work at all."),
    },
    "wgi.rq": {
        "label": gettext_noop("WGI Regulatory Quality (percentile rank)"),
        "source": "wgi",
        "themes": ["living-wage", "water-chemicals-energy", "environment", "animal-welfare"],
        "why": _("Whether sound rules (minimum wage, permits, welfare) exist."),
    },
    "wgi.rl": {
        "label": gettext_noop("WGI Rule of Law (percentile rank)"),
        "source": "wgi",
        "themes": [
            "child-labour",
            "forced-labour",
            "human-rights",
            "health-safety",
            "living-wage",
            "discrimination-gender",
        ],
        "why": _("Whether the law (labour law above all) is enforced."),
    },
    "wgi.cc": {
        "label": gettext_noop("WGI Control of Corruption (percentile rank)"),
        "source": "wgi",
        "themes": ["bribery", "raw-materials"],
        "why": _("Public-sector corruption; also illegal sourcing of raw materials."),
    },
    "ituc.rating": {
        "label": gettext_noop("ITUC Global Rights Index rating (1..5+)"),
        "source": "ituc",
        "themes": [
            "freedom-of-association",
            "living-wage",
            "forced-labour",
            "discrimination-gender",
            "health-safety",
        ],
        "why": _("Violations of workers' collective rights; without them wages and safety stall."),
    },
    "ilab.child": {
        "label": gettext_noop("US DOL ILAB: goods listed for child labour (count)"),
        "source": "ilab",
        "themes": ["child-labour"],
        "why": _("The country has goods listed as produced with child labour."),
    },
    "ilab.forced": {
        "label": gettext_noop("US DOL ILAB: goods listed for forced labour (count)"),
        "source": "ilab",
        "themes": ["forced-labour"],
        "why": _("The country has goods listed as produced with forced labour."),
    },
}

# The licences of the bundled sources as their publishers state them (`data/sources.json`),
# stored in English with each source and scan; pages show them in the reader's language
# (`risk_tags.licence_label`). A licence an imported edition states otherwise reads as stated.
LICENCES = [
    gettext_noop("US Government work, public domain"),
    gettext_noop(
        "Published ratings, cited with attribution (hand-compiled copy: check against the report)"
    ),
]

# Country risk contributed by ILAB: any listed good in the country, and the row's own good.
ILAB_COUNTRY_RISK = 0.7
ILAB_GOOD_RISK = 1.0
ILAB_SECTOR_RISK = 0.85
# A theme with no indicator for a country is unknown, and unknown is not low.
UNKNOWN_COUNTRY_RISK = 0.5

# Inherent risk levels on the 0..100 scale.
HIGH = 50
MEDIUM = 25

SECTORS = ["garment", "gold", "food", "natural_stone", "metals", "floriculture", "other"]
SECTOR_LABELS = {
    "garment": _("Garment and textile"),
    "gold": _("Gold"),
    "food": _("Food products"),
    "natural_stone": _("Natural stone"),
    "metals": _("Metals"),
    "floriculture": _("Floriculture"),
    "other": _("Other or unknown sector"),
}

# Sector profiles: how strongly a theme's risk shows up in the sector (0..1), with the reasoning.
# Drawn from the SER covenants' own sector risk analyses (KPMG 2014 for the government),
# the OECD sector due-diligence guidance (garment & footwear, minerals, agriculture) and
# the MVO Risicochecker's product pages. A weight scales the country's risk; 1.0 means
# "this is a salient risk of the sector wherever country governance is weak".
SECTOR_PROFILES: dict[str, dict[str, Any]] = {
    "garment": {
        "why": _(
            "Labour-intensive cut-make-trim with low margins and short lead times: wages, "
            "overtime, union rights, building and fire safety (Rana Plaza), women's rights; "
            "wet processing pollutes water; cotton carries child and forced labour."
        ),
        "weights": {
            "child-labour": 0.7,
            "forced-labour": 0.8,
            "freedom-of-association": 1.0,
            "living-wage": 1.0,
            "health-safety": 1.0,
            "discrimination-gender": 1.0,
            "human-rights": 0.6,
            "water-chemicals-energy": 0.9,
            "raw-materials": 0.7,
            "environment": 0.7,
            "animal-welfare": 0.3,
            "bribery": 0.4,
        },
    },
    "gold": {
        "why": _(
            "Artisanal and small-scale mining: child labour, mercury, conflict financing "
            "(OECD minerals guidance Annex II), land and indigenous rights, corruption."
        ),
        "weights": {
            "child-labour": 1.0,
            "forced-labour": 0.9,
            "freedom-of-association": 0.6,
            "living-wage": 0.6,
            "health-safety": 1.0,
            "discrimination-gender": 0.5,
            "human-rights": 1.0,
            "water-chemicals-energy": 1.0,
            "raw-materials": 1.0,
            "environment": 1.0,
            "animal-welfare": 0.1,
            "bribery": 1.0,
        },
    },
    "food": {
        "why": _(
            "Smallholder and plantation agriculture: child labour in harvests (cocoa, "
            "hazelnuts), forced labour of migrant workers, pesticides, land and water, "
            "deforestation, animal welfare in livestock."
        ),
        "weights": {
            "child-labour": 1.0,
            "forced-labour": 0.9,
            "freedom-of-association": 0.7,
            "living-wage": 0.9,
            "health-safety": 0.7,
            "discrimination-gender": 0.7,
            "human-rights": 0.8,
            "water-chemicals-energy": 0.8,
            "raw-materials": 0.8,
            "environment": 0.9,
            "animal-welfare": 0.9,
            "bribery": 0.4,
        },
    },
    "natural_stone": {
        "why": _(
            "Quarrying and processing: silicosis and accidents, bonded and child labour "
            "in quarries (India, China), land use and dust."
        ),
        "weights": {
            "child-labour": 1.0,
            "forced-labour": 1.0,
            "freedom-of-association": 0.7,
            "living-wage": 0.8,
            "health-safety": 1.0,
            "discrimination-gender": 0.4,
            "human-rights": 0.7,
            "water-chemicals-energy": 0.6,
            "raw-materials": 0.8,
            "environment": 0.8,
            "animal-welfare": 0.1,
            "bribery": 0.5,
        },
    },
    "metals": {
        "why": _(
            "Mining and smelting of ores (cobalt, tin, tungsten, tantalum): conflict "
            "minerals, child labour in artisanal mining, safety, pollution and energy use."
        ),
        "weights": {
            "child-labour": 0.8,
            "forced-labour": 0.8,
            "freedom-of-association": 0.7,
            "living-wage": 0.6,
            "health-safety": 1.0,
            "discrimination-gender": 0.4,
            "human-rights": 0.9,
            "water-chemicals-energy": 1.0,
            "raw-materials": 1.0,
            "environment": 1.0,
            "animal-welfare": 0.1,
            "bribery": 0.8,
        },
    },
    "floriculture": {
        "why": _(
            "Greenhouse and open-field flowers (Kenya, Ethiopia, Colombia, Ecuador): "
            "pesticide exposure, water use around lakes, low wages, sexual harassment "
            "of women workers, union rights."
        ),
        "weights": {
            "child-labour": 0.5,
            "forced-labour": 0.5,
            "freedom-of-association": 0.9,
            "living-wage": 0.9,
            "health-safety": 0.9,
            "discrimination-gender": 0.9,
            "human-rights": 0.6,
            "water-chemicals-energy": 1.0,
            "raw-materials": 0.4,
            "environment": 0.8,
            "animal-welfare": 0.1,
            "bribery": 0.3,
        },
    },
    "other": {
        "why": _(
            "No sector profile applies: every theme weighs 0.6, so country risk shows "
            "but is not amplified. Enter the sector or product to sharpen the scan."
        ),
        "weights": dict.fromkeys(THEME_CODES, 0.6),
    },
}

# Words in a supplier row's sector/product text -> sector profile. Checked in order.
SECTOR_KEYWORDS: list[tuple[str, list[str]]] = [
    ("gold", ["gold", "jewel", "jewellery", "jewelry", "refiner"]),
    (
        "natural_stone",
        ["stone", "granite", "marble", "quarr", "slate", "limestone", "sandstone", "gravel"],
    ),
    (
        "metals",
        [
            "metal",
            "steel",
            "iron",
            "alumin",
            "copper",
            "cobalt",
            "tin",
            "tungsten",
            "tantalum",
            "coltan",
            "zinc",
            "nickel",
            "mining",
            "smelt",
            "wolframite",
        ],
    ),
    ("floriculture", ["flower", "floricult", "rose", "horticult", "bulb"]),
    (
        "garment",
        [
            "apparel",
            "garment",
            "textile",
            "cloth",
            "footwear",
            "shoe",
            "fashion",
            "knit",
            "woven",
            "denim",
            "cotton",
            "yarn",
            "fabric",
            "leather",
            "sewing",
            "dye",
            "shirt",
            "jacket",
            "trouser",
            "dress",
            "jeans",
            "sock",
            "underwear",
            "sportswear",
            "workwear",
            "accessor",
            "bag",
        ],
    ),
    (
        "food",
        [
            "food",
            "agri",
            "cocoa",
            "coffee",
            "tea",
            "sugar",
            "fruit",
            "vegetable",
            "fish",
            "shrimp",
            "meat",
            "beef",
            "poultry",
            "dairy",
            "rice",
            "nut",
            "palm",
            "soy",
            "banana",
            "spice",
            "grain",
            "wheat",
            "corn",
            "seafood",
            "juice",
        ],
    ),
]

_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=4096)
def sector_of(text: str | None) -> str:
    """The sector profile for a row's sector/product text ('Apparel' -> 'garment')."""
    if not text:
        return "other"
    words = _WORD.findall(text.lower())
    if not words:
        return "other"
    for sector, stems in SECTOR_KEYWORDS:
        for w in words:
            for stem in stems:
                # Short stems ("tin", "tea", "nut", "bag") must be whole words, long ones prefixes.
                if (w == stem) if len(stem) <= 4 else w.startswith(stem):
                    return sector
    if text.strip().lower() in SECTORS:
        return text.strip().lower()
    return "other"


def ilab_good_sector(good: str) -> str:
    """The sector an ILAB good belongs to ('Garments' -> 'garment', 'Granite' -> 'natural_stone')."""
    return sector_of(good)


# Covenant sector -> sector profile. Financial-sector covenants (banking, insurance, pension
# funds) reach risks through investments and loans, not sourcing: no production profile fits.
COVENANT_SECTOR_PROFILE = {
    "garment": "garment",
    "gold": "gold",
    "food": "food",
    "agrifood": "food",
    "natural_stone": "natural_stone",
    "metals": "metals",
    "floriculture": "floriculture",
}
