"""Small builders for supply-chain tests."""

from __future__ import annotations

from typing import Any

from imvo.supplychain.models import Facility
from imvo.supplychain.normalise import normalise_address, normalise_name


def make_facility(name: str, address: str, country: str, sector: str = "Apparel") -> Facility:
    return Facility.objects.create(
        name=name,
        address=address,
        country=country,
        sector=sector,
        name_norm=normalise_name(name),
        address_norm=normalise_address(address),
    )


def csv_bytes(
    rows: list[list[Any]], header: tuple[str, ...] = ("Factory name", "Address", "Country")
) -> bytes:
    lines = [",".join(header)]
    for r in rows:
        lines.append(",".join(f'"{c}"' for c in r))
    return ("\n".join(lines) + "\n").encode()


REGISTRY = [
    ("Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur Industrial Area, Gazipur 1700", "BD"),
    (
        "Saigon Sewing Joint Stock Company",
        "No. 45 Tan Thuan Road, District 7, Ho Chi Minh City",
        "VN",
    ),
    ("Anatolia Tekstil San. ve Tic. A.S.", "Organize Sanayi Bolgesi 4. Cadde No 9, Bursa", "TR"),
    (
        "Ningbo Evergreen Garment Co., Ltd",
        "No. 88 Jiangnan Road, Yinzhou District, Ningbo 315100",
        "CN",
    ),
    ("Unit A Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan 523000", "CN"),
]


def make_registry() -> list[Facility]:
    return [make_facility(*r) for r in REGISTRY]
