"""An address split over several columns is read as one address.

Real supplier lists (Dutch and German ERP exports, French suppliers' own lists)
write the street, the house number, the postcode and the city in columns of their
own. Only one column could be read as the address: "Industriestraße" was
disclosed without its number and town, and the matcher compared a street name
with a registry address. The columns are now recognised (English, Dutch, German,
French headers) and joined in a stated order: street and number, second line,
postcode and city. The stored original stays as it came; the rows and the
processed download hold the joined address.

`files/address-parts.xlsx` was made by LibreOffice 7.4 from `address-parts.csv`
(`soffice --headless --infilter="CSV:44,34,76,1" --convert-to xlsx address-parts.csv`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from django.test import Client

from imvo.core.errors import DomainError
from imvo.supplychain import parsing, services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.parsing import combine_address, read_table, recognise_headers, validate_rows
from imvo.supplychain.tests.helpers import make_registry
from imvo.supplychain.tests.test_services import YEAR

FILES = Path(__file__).parent / "files"

GERMAN = [
    "Textilwerk Müller GmbH, Industriestraße 14a, 72458 Albstadt",
    "Weberei Schön KG, Am Mühlbach 3, 95028 Hof",
    "Tricotage Lefèvre SARL, Rue de la Gare, 59100 Roubaix",
]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["Naam", "Straat", "Huisnummer", "Postcode", "Plaats", "Land"],
            ["name", "address", "house_number", "postcode", "city", "country"],
        ),
        (
            ["Lieferant", "Straße", "Hausnummer", "PLZ", "Ort", "Land"],
            ["name", "address", "house_number", "postcode", "city", "country"],
        ),
        (
            ["Fournisseur", "Rue", "Numéro", "Code postal", "Ville", "Pays"],
            ["name", "address", "house_number", "postcode", "city", "country"],
        ),
        (
            ["Supplier name", "Address line 1", "Address line 2", "Zip code", "City", "Country"],
            ["name", "address", "address_2", "postcode", "city", "country"],
        ),
    ],
)
def test_split_address_columns_are_recognised(header: list[str], expected: list[str]) -> None:
    assert recognise_headers(header) == {f: i for i, f in enumerate(expected)}


def test_the_parts_are_joined_in_the_stated_order() -> None:
    assert (
        combine_address("Keizersgracht", "12", "2e etage", "1015 CX", "Amsterdam")
        == "Keizersgracht 12, 2e etage, 1015 CX Amsterdam"
    )
    assert combine_address("Rue de la Gare", "", "", "59100", "Roubaix") == (
        "Rue de la Gare, 59100 Roubaix"
    )
    assert combine_address("", "", "", "1015 CX", "Amsterdam") == "1015 CX Amsterdam"
    # An address column that already holds its city and postcode, beside a city column.
    assert combine_address("Plot 12 Road 3, Gazipur 1700", "", "", "1700", "Gazipur") == (
        "Plot 12 Road 3, Gazipur 1700"
    )


@pytest.mark.parametrize("name", ["address-parts.csv", "address-parts.xlsx"])
def test_a_real_file_with_a_split_address_reads_whole_addresses(name: str) -> None:
    table = read_table(name, (FILES / name).read_bytes())
    results = validate_rows(table, table.column_mapping())
    assert [r.errors for r in results] == [[], [], []]
    assert [f"{r.values['name']}, {r.values['address']}" for r in results] == GERMAN
    assert [r.values["country_code"] for r in results] == ["DE", "DE", "FR"]
    # The row keeps every column as it came.
    assert results[0].raw["Hausnummer"] == "14a" and results[0].raw["Ort"] == "Albstadt"


def test_a_joined_address_over_the_limit_is_a_row_error() -> None:
    data = "Name,Street,City,Country\nA Ltd,{},Dhaka,BD\n".format("x" * 995).encode()
    table = read_table("l.csv", data)
    [result] = validate_rows(table, table.column_mapping())
    assert result.errors == [("Street", "1,002 characters, at most 1,000")]


def test_upload_joins_the_address_and_keeps_the_original(world, db) -> None:
    make_registry()
    data = (FILES / "address-parts.xlsx").read_bytes()
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "lieferanten.xlsx", data)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error
    assert sorted(sl.rows.values_list("address", flat=True)) == sorted(
        g.split(", ", 1)[1] for g in GERMAN
    )
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.member_a)
    body = client.get(f"/supply-chain/lists/{sl.pk}/processed.csv").content.decode("utf-8-sig")
    processed = list(csv.DictReader(io.StringIO(body)))
    assert [r["address"] for r in processed] == [g.split(", ", 1)[1] for g in GERMAN]
    original = client.get(f"/supply-chain/lists/{sl.pk}/original")
    kept = original.getvalue()
    assert kept == data and hashlib.sha256(kept).hexdigest() == sl.sha256


def test_the_member_maps_several_columns_to_the_address(world, db) -> None:
    """Headers nobody recognises: on the mapping page the member picks the street,
    the number and the city, and the list is read with the joined address."""
    make_registry()
    data = (
        b"Fabriek X,Weg,Nr.,Woonkern,Landcode\n"
        b"Dhaka Knit Composite Ltd,Road 3,Plot 12,Gazipur,BD\n"
        b"Saigon Sewing JSC,Tan Thuan Rd,45,Ho Chi Minh City,VN\n"
    )
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", data, confirm=False)
    assert sl.status == SupplierList.Status.MAPPING
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/lists/{sl.pk}/mapping/").content.decode()
    assert "House number (joined to the address)" in page and "we join them in that order" in page
    response = client.post(
        f"/supply-chain/lists/{sl.pk}/mapping/",
        {"name": 0, "address": 1, "house_number": 2, "city": 3, "country": 4},
    )
    assert response.status_code == 302
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.PREVIEW, sl.error
    assert sorted(sl.rows.values_list("address", flat=True)) == [
        "Road 3 Plot 12, Gazipur",
        "Tan Thuan Rd 45, Ho Chi Minh City",
    ]
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "<td>Woonkern</td><td>City (joined to the address)</td>" in page
    nl = client.get(f"/supply-chain/lists/{sl.pk}/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "<td>Woonkern</td><td>Plaats (toegevoegd aan het adres)</td>" in nl


def test_a_column_is_still_used_once(world, db) -> None:
    data = b"Fabriek X,Weg,Woonkern,Landcode\nA Ltd,Road 3,Gazipur,BD\n"
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", data, confirm=False)
    with pytest.raises(DomainError, match="chosen for two fields"):
        services.set_column_map(
            world.member_a, sl, {"name": 0, "address": 1, "city": 1, "country": 3}
        )
    assert parsing.FIELD_LABELS["city"] == "city"


# --- every part of the address, in order, once (2026-12-07) -----------------------------
#
# Suppliers' own lists (China, Indonesia, Haiti) split the address further:
# "Building", "Address 1/2/3", "District", "City", "State/Province". Only the first
# "address line 2" was taken: the building, the third line, the district and the
# province were left out, and a city the address already held ("Ningbo" beside a
# City column "Ningbo City", or the city on the second line) was written twice.
# `files/address-lines.csv` holds rows of Open Supply Hub lists 10, 11, 12 and 15
# (MIT licence) with their addresses split into those columns as the suppliers'
# lists split them, saved as a Dutch Excel saves a CSV (semicolons, Windows-1252);
# `address-lines.xlsx` was made from it by LibreOffice 7.4 (`soffice --headless
# --infilter="CSV:59,34,1252,1" --convert-to xlsx address-lines.csv`).

LINES_HEADER = [
    "Supplier name", "Building", "Address 1", "Address 2", "Address 3", "District",
    "City", "State/Province", "Postcode", "Country",
]  # fmt: skip
# The whole address each row's parts make, as Open Supply Hub's lists wrote it.
LINES = [
    ("Xiamen Kingland Apparel Co Ltd",
     "2F, J5 Building, Yongquan Industrial Area, Guankou, Jimei, 361023 Xiamen, Fujian"),
    ("YIA-CHYNS TEXTILE (SHANGHAI) CORP",
     "BUILDING 2, NO.688 FENG YONG ROAD, FENGXIAN DISTRICT, 201414 Shanghai"),
    ("Jiangsu Asian Sourcing Headwear MFG. Co., Ltd",
     "No. 2 South Guangzhou Road, Huai'an City 223005"),
    ("Ningbo Beston Plastics Co.,Ltd",
     "No.66 Yicheng Road, Xiaogang, Beilun, Ningbo, Zhejiang Province"),
    ("PT Yuni International",
     "Kp. Menteng Dua RT.04/RW01., Desa Pasir Laja, Kecamatan Sukaraja, Kabupaten Bogor, "
     "16710 Bogor, Jawa Barat"),  # the city Bogor is not the regency (Kabupaten) Bogor
    ("Yangzhou Xinte Travelling Goods Co.,Ltd",
     "Yuelai Road, Lidian town, Hanjiang, Yangzhou, Jiangsu Province"),
    ("MAS Akansyel S.A", "Building C, Route de Caracol No. 14, Caracol"),
]  # fmt: skip


def test_building_lines_district_and_province_are_recognised() -> None:
    assert recognise_headers(LINES_HEADER) == {
        "name": 0, "building": 1, "address": 2, "address_2": 3, "address_3": 4,
        "district": 5, "city": 6, "region": 7, "postcode": 8, "country": 9,
    }  # fmt: skip
    assert (
        recognise_headers(["Naam", "Gebouw", "Straat", "Straat 2", "Wijk", "Plaats", "Land"])[
            "address_2"
        ]
        == 3
    )


def test_all_parts_are_joined_in_order_and_none_twice() -> None:
    assert combine_address(
        "Road 3", "12", "Block B", "", "Dhaka", building="Rahman Tower", line_3="Mirpur 10",
        district="Mirpur", region="Dhaka Division",
    ) == "Rahman Tower, Road 3 12, Block B, Mirpur 10, Dhaka, Dhaka Division"  # fmt: skip
    # The city already on the second line, or in the address with "City" after it.
    assert combine_address("Plot 5, Road 3", line_2="Konabari, Gazipur", city="Gazipur") == (
        "Plot 5, Road 3, Konabari, Gazipur"
    )
    assert combine_address("No.66 Yicheng Road, Ningbo", city="Ningbo City") == (
        "No.66 Yicheng Road, Ningbo"
    )
    # A street named after the place does not hold it.
    assert combine_address("Via Roma 1", postcode="00184", city="Roma") == "Via Roma 1, 00184 Roma"
    assert combine_address("Gazipur Road 5", city="Gazipur") == "Gazipur Road 5, Gazipur"
    # "District 1" is no "1" that a house number already holds.
    assert combine_address("Road 1", district="District 1", city="Ho Chi Minh City") == (
        "Road 1, District 1, Ho Chi Minh City"
    )


@pytest.mark.parametrize("name", ["address-lines.csv", "address-lines.xlsx"])
def test_a_real_list_with_the_address_in_many_columns_reads_it_whole(name: str) -> None:
    table = read_table(name, (FILES / name).read_bytes())
    results = validate_rows(table, table.column_mapping())
    assert [r.errors for r in results] == [[]] * len(LINES)
    assert [(r.values["name"], r.values["address"]) for r in results] == LINES


def test_a_longer_place_name_does_not_swallow_a_shorter_one() -> None:
    # Kabupaten Bogor (the regency) and Bogor (the city) are two places: the city
    # column is kept beside the district, compared as whole names, not as words.
    assert (
        combine_address(
            "Jl. Raya Cibinong 5", district="Kabupaten Bogor", city="Bogor", region="Jawa Barat"
        )
        == "Jl. Raya Cibinong 5, Kabupaten Bogor, Bogor, Jawa Barat"
    )
    assert combine_address("Jl. Raya 5, Kabupaten Bogor", city="Bogor") == (
        "Jl. Raya 5, Kabupaten Bogor, Bogor"
    )
    assert combine_address("Road 3", city="New Delhi", region="Delhi") == (
        "Road 3, New Delhi, Delhi"
    )
    # The same place again is still written once, and a street line that ends
    # with its city holds it.
    assert combine_address("Road 3", district="Bogor", city="Bogor City") == "Road 3, Bogor"
    assert combine_address("Road 3 Mirpur Dhaka", city="Dhaka") == "Road 3 Mirpur Dhaka"
