"""Seeded generator of plausible production locations and of supplier lists that
write them differently. Used by the demo registry and by the matching benchmark.

The shape follows the Open Supply Hub supplier lists (MIT licence, 953 rows
studied): about half the locations in China, then Viet Nam, Bangladesh, India,
Indonesia, Pakistan...; names made of a place or family name, a trade word
("garment", "knitting", "footwear") and a legal form ("co., ltd", "pvt ltd",
"PT ... Tbk", "S.A. de C.V."); addresses with a number, a street, an industrial
zone, a district, a city and a postcode. The perturbations are the ones seen in
those lists: case, typos, word order, abbreviations, legal-form changes, missing
or merged address parts, spaced-out letters, transliteration, and look-alikes
(the same street, "unit A" vs "unit B").
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

# country, weight, cities, legal forms, local syllables
COUNTRIES: list[tuple[str, int, list[str], list[str]]] = [
    (
        "CN",
        45,
        [
            "Dongguan",
            "Ningbo",
            "Shanghai",
            "Nantong",
            "Wenzhou",
            "Quanzhou",
            "Hangzhou",
            "Zhongshan",
            "Changzhou",
            "Jiaxing",
            "Yangzhou",
            "Shaoxing",
            "Suzhou",
            "Xiamen",
        ],
        ["Co., Ltd", "Co., Ltd.", "Limited", "Garment Co. Ltd", "Industrial Co., Ltd"],
    ),
    (
        "VN",
        10,
        ["Ho Chi Minh City", "Binh Duong", "Dong Nai", "Hai Phong", "Nam Dinh", "Long An"],
        ["Co., Ltd", "Joint Stock Company", "JSC", "Company Limited"],
    ),
    (
        "BD",
        9,
        ["Dhaka", "Gazipur", "Narayanganj", "Chittagong", "Savar", "Ashulia"],
        ["Ltd.", "Limited", "(Pvt.) Ltd", "Ltd"],
    ),
    (
        "IN",
        7,
        ["Tiruppur", "Bangalore", "Noida", "Ludhiana", "Chennai", "Gurgaon", "Jaipur"],
        ["Pvt. Ltd.", "Private Limited", "Pvt Ltd", "Exports Pvt. Ltd."],
    ),
    ("ID", 5, ["Bandung", "Semarang", "Tangerang", "Bogor", "Surabaya"], ["PT", "PT Tbk", "P.T."]),
    ("PK", 4, ["Sialkot", "Lahore", "Karachi", "Faisalabad"], ["(Pvt) Ltd", "Pvt. Ltd.", "Ltd"]),
    (
        "TR",
        4,
        ["Istanbul", "Bursa", "Izmir", "Denizli", "Gaziantep"],
        ["San. ve Tic. Ltd. Sti.", "A.S.", "Tekstil A.S.", "Ltd. Sti."],
    ),
    ("KH", 3, ["Phnom Penh", "Kandal", "Kampong Speu"], ["Co., Ltd", "Garment Co., Ltd"]),
    ("MM", 2, ["Yangon", "Bago", "Hlaing Tharyar"], ["Co., Ltd", "Company Limited"]),
    ("LK", 2, ["Colombo", "Katunayake", "Homagama", "Biyagama"], ["(Pvt) Ltd", "PLC"]),
    ("MX", 2, ["Puebla", "Tehuacan", "Leon", "Aguascalientes"], ["S.A. de C.V.", "SA de CV"]),
    ("SV", 1, ["San Salvador", "Santa Ana", "San Bartolo"], ["S.A. de C.V."]),
    ("HN", 1, ["San Pedro Sula", "Choloma", "Villanueva"], ["S.A.", "S. de R.L."]),
    ("TH", 1, ["Samut Prakan", "Bangkok", "Chonburi"], ["Co., Ltd.", "Public Co., Ltd."]),
    ("PT", 1, ["Porto", "Guimaraes", "Barcelos", "Braga"], ["Lda", "S.A.", "Unipessoal Lda"]),
    ("IT", 1, ["Prato", "Biella", "Como", "Carpi"], ["S.r.l.", "S.p.A."]),
    ("RO", 1, ["Bucharest", "Iasi", "Timisoara"], ["S.R.L.", "S.A."]),
    ("MA", 1, ["Tangier", "Casablanca", "Fes"], ["SARL", "S.A.R.L."]),
    ("ET", 1, ["Hawassa", "Addis Ababa", "Mekelle"], ["PLC", "Share Company"]),
]

TRADES = [
    "Garment",
    "Garments",
    "Knitting",
    "Textile",
    "Textiles",
    "Apparel",
    "Fashion",
    "Footwear",
    "Shoes",
    "Sportswear",
    "Clothing",
    "Knitwear",
    "Denim",
    "Weaving",
    "Dyeing",
    "Embroidery",
    "Socks",
    "Headwear",
    "Leather",
    "Printing",
    "Accessories",
    "Hosiery",
    "Uniforms",
    "Lingerie",
    "Outdoor",
    "Workwear",
    "Spinning",
    "Home Textile",
]
EXTRAS = [
    "International",
    "Industrial",
    "Group",
    "Enterprise",
    "Manufacturing",
    "Trading",
    "Sporting Goods",
    "Products",
    "Industries",
    "Creations",
    "Mills",
    "Works",
]
STREETS = ["Road", "Street", "Avenue", "Highway", "Lane"]
ZONES = [
    "Industrial Zone",
    "Industrial Park",
    "Export Processing Zone",
    "Economic Development Zone",
    "Industrial Estate",
    "Village",
    "Town",
    "District",
    "Ward",
    "Commune",
]
SYLLABLES = [
    "an",
    "bao",
    "bin",
    "chang",
    "chen",
    "da",
    "dong",
    "fa",
    "feng",
    "fu",
    "gao",
    "hai",
    "hong",
    "hua",
    "jia",
    "jin",
    "kai",
    "lan",
    "li",
    "long",
    "mei",
    "ming",
    "nan",
    "ping",
    "qi",
    "rui",
    "sheng",
    "shun",
    "tai",
    "tian",
    "wei",
    "xin",
    "xing",
    "ya",
    "yong",
    "yu",
    "zhi",
    "kar",
    "ra",
    "sha",
    "mal",
    "pur",
    "tex",
    "ram",
    "sri",
    "ana",
    "sin",
    "ar",
    "jaya",
    "ma",
    "ko",
    "tan",
    "del",
    "sol",
    "mar",
    "nor",
    "vi",
    "ta",
    "lo",
    "ken",
    "dar",
    "mo",
    "ri",
    "sa",
    "ba",
    "go",
    "ni",
    "ha",
    "to",
    "el",
    "ur",
    "us",
    "ok",
    "az",
    "em",
]

# Characters written two ways in real lists (Turkish, Vietnamese, Spanish...).
TRANSLIT = {
    "s": "ş",
    "c": "ç",
    "g": "ğ",
    "o": "ö",
    "u": "ü",
    "a": "á",
    "e": "é",
    "i": "í",
    "d": "đ",
}

_WEIGHTS = [c[1] for c in COUNTRIES]


@dataclass
class Facility:
    id: int
    name: str
    address: str
    country: str
    sector: str
    workers: int


def _word(rng: random.Random, parts: tuple[int, int] = (2, 3)) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(*parts))).capitalize()


def facilities(n: int, seed: int = 1, start_id: int = 1) -> Iterator[Facility]:
    """`n` distinct plausible facilities (ids start_id...)."""
    rng = random.Random(seed)
    for i in range(n):
        country, _w, cities, forms = rng.choices(COUNTRIES, weights=_WEIGHTS)[0]
        city = rng.choice(cities)
        parts = [_word(rng)]
        if rng.random() < 0.5:
            parts.append(_word(rng, (1, 2)))
        if rng.random() < 0.25:
            parts.insert(0, city)
        parts.append(rng.choice(TRADES))
        if rng.random() < 0.3:
            parts.append(rng.choice(EXTRAS))
        form = rng.choice(forms)
        name = (
            f"{form} {' '.join(parts)}"
            if form.startswith(("PT", "P.T."))
            else f"{' '.join(parts)} {form}"
        )
        number = rng.randint(1, 999)
        street = f"{_word(rng)} {rng.choice(STREETS)}"
        zone = f"{_word(rng)} {rng.choice(ZONES)}"
        postcode = rng.randint(10000, 999999)
        address = f"No. {number} {street}, {zone}, {city} {postcode}"
        if rng.random() < 0.3:
            address = f"Unit {rng.choice('ABCDEFGH')}, " + address
        yield Facility(
            start_id + i,
            name,
            address,
            country,
            rng.choice(["Apparel", "Footwear", "Textiles"]),
            rng.choice([80, 150, 300, 600, 1200, 2500, 4000]),
        )


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 2)
    op = rng.random()
    if op < 0.33:
        return text[:i] + text[i + 1 :]  # dropped letter
    if op < 0.66:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swapped letters
    return text[:i] + rng.choice("aeiounrst") + text[i + 1 :]  # wrong letter


def _spaced(word: str) -> str:
    return " ".join(word.upper())


def perturb(rng: random.Random, f: Facility) -> tuple[str, str]:
    """The same facility as another company writes it: (name, address)."""
    name, address = f.name, f.address
    for _ in range(rng.randint(1, 2)):
        op = rng.random()
        if op < 0.15:
            name = name.upper()
        elif op < 0.3:
            name = _typo(rng, name)
        elif op < 0.4:
            words = name.split()
            if len(words) > 2:
                a, b = rng.sample(range(len(words)), 2)
                words[a], words[b] = words[b], words[a]
            name = " ".join(words)
        elif op < 0.55:
            # legal form changed or dropped
            for form in ("Co., Ltd.", "Co., Ltd", "Limited", "Pvt. Ltd.", "Ltd.", "S.A. de C.V."):
                if name.endswith(form):
                    name = name[: -len(form)] + rng.choice(["Co. Ltd", "LIMITED", "", "Ltd"])
                    break
            else:
                name = name + " Co., Ltd"
        elif op < 0.62:
            first = name.split()[0]
            name = name.replace(first, _spaced(first), 1)
        elif op < 0.7:
            name = "".join(TRANSLIT.get(ch, ch) if rng.random() < 0.3 else ch for ch in name)
        elif op < 0.8:
            parts = address.split(", ")
            if len(parts) > 2:
                parts.pop(rng.randrange(1, len(parts)))
            address = ", ".join(parts)
        elif op < 0.88:
            address = (
                address.replace("Road", "Rd")
                .replace("Street", "St.")
                .replace("No. ", "No.")
                .replace("Industrial", "Ind.")
            )
        elif op < 0.94:
            address = address.replace(", ", " ").upper()
        else:
            address = _typo(rng, address)
    return name.strip(), address


def lookalike(rng: random.Random, f: Facility) -> tuple[str, str]:
    """A different facility next door: same street, another unit or number, a sister name."""
    if f.address.startswith("Unit "):
        unit = f.address[5]
        other = rng.choice([u for u in "ABCDEFGH" if u != unit])
        address = f"Unit {other}" + f.address[6:]
    else:
        number = f.address.split()[1]
        address = f.address.replace(f"No. {number}", f"No. {int(number) + rng.randint(1, 40)}", 1)
    name = f.name
    if rng.random() < 0.5:
        name = f"{f.name.split()[0]} {rng.choice(TRADES)} {rng.randint(2, 5)}"
    return name, address


# How the demo lists write some countries (names instead of codes, as in real lists).
COUNTRY_NAMES = {
    "CN": "China",
    "VN": "Viet Nam",
    "BD": "Bangladesh",
    "IN": "India",
    "ID": "Indonesia",
    "PK": "Pakistan",
    "TR": "Turkije",
    "KH": "Cambodja",
    "MM": "Myanmar",
    "LK": "Sri Lanka",
}
