"""Files that are no supplier list, or none we can read, uploaded as one: each is
told what it is, in the member's language, with what we accept; never a stack
trace, and never "plain text" for binary data (a file of random bytes named
.xlsx was told "the file is plain text, not a workbook").
"""

from __future__ import annotations

import os
import random
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from imvo.supplychain.models import SupplierList
from imvo.supplychain.parsing import ParseError, read_table
from imvo.supplychain.tests.helpers import zip_bytes

FILES = Path(__file__).parent / "files"
BINARY_EN = "this file is not a spreadsheet or CSV: it looks like binary data"
BINARY_NL = "dit bestand is geen spreadsheet of CSV: het lijkt binaire data"
ACCEPTED = "Upload the supplier list as .xlsx, .xls, .ods or .csv"


def _random_bytes(n: int = 4000, seed: int = 1) -> bytes:
    generator = random.Random(seed)
    return bytes(generator.getrandbits(8) for _ in range(n))


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * 8 for _ in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _pdf() -> bytes:
    return (
        b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<</Type/Catalog/Pages 2 0 R>>\nendobj\n"
        b"2 0 obj\n<</Type/Pages/Kids[]/Count 0>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF\n"
    )


def _ole(*streams: str) -> bytes:
    """The head of an OLE2 compound file whose directory names `streams`."""
    directory = b"".join(s.encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64 for s in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + directory + b"\x00" * 512


def _refusal(name: str, data: bytes, language: str = "en") -> str:
    with translation.override(language), pytest.raises(ParseError) as e:
        read_table(name, data)
    with translation.override(language):
        return str(e.value)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("name", ["list.xlsx", "list.xls", "list.ods", "list.csv", "list"])
def test_random_bytes_are_told_as_binary_data_not_as_plain_text(name: str, seed: int) -> None:
    data = _random_bytes(seed=seed)
    if data[:4] == b"PK\x03\x04" or data[:1] == b"\xd0":  # not a known signature by chance
        data = b"\x01" + data
    message = _refusal(name, data)
    assert message.startswith(f"{name}: {BINARY_EN}"), message
    assert ACCEPTED in message and "plain text" not in message
    dutch = _refusal(name, data, "nl")
    assert dutch.startswith(f"{name}: {BINARY_NL}") and ".xlsx, .xls, .ods of .csv" in dutch


def test_a_large_random_file_and_urandom_are_binary_too() -> None:
    assert BINARY_EN in _refusal("export.xlsx", os.urandom(300_000))
    assert BINARY_EN in _refusal("export.csv", _random_bytes(200_000, seed=7))


@pytest.mark.parametrize(
    ("data", "english", "dutch"),
    [
        (_pdf(), "this is a PDF document, not a supplier list", "dit is een pdf-document"),
        (_png(), "this is an image, not a supplier list", "dit is een afbeelding"),
        (b"GIF89a" + _random_bytes(200), "this is an image", "dit is een afbeelding"),
        (
            zip_bytes({"readme.txt": "hello", "photo.jpg": b"\xff\xd8\xff\xe0"}),
            "this is a zip archive, not a spreadsheet",
            "dit is een zip-archief, geen spreadsheet",
        ),
        (_ole("Root Entry", "WordDocument", "1Table"), "this is a Word document", "Word-document"),
        (
            _ole("Root Entry", "PowerPoint Document"),
            "this is a PowerPoint presentation",
            "PowerPoint-presentatie",
        ),
        (_ole("Root Entry", "__substg1.0_0037001F"), BINARY_EN, BINARY_NL),
        (
            (FILES / "protected.xlsx").read_bytes(),
            "the workbook is protected with a password",
            "de werkmap is beveiligd met een wachtwoord",
        ),
        (
            (FILES / "protected.xls").read_bytes(),
            "the workbook is protected with a password",
            "de werkmap is beveiligd met een wachtwoord",
        ),
        (b"", "the file is empty.", "het bestand is leeg."),
        (b" \r\n\t\n", "the file is empty.", "het bestand is leeg."),
    ],
    ids=[
        "pdf",
        "png",
        "gif",
        "zip",
        "word",
        "powerpoint",
        "outlook-message",
        "encrypted-xlsx",
        "encrypted-xls-libreoffice",
        "empty",
        "blank",
    ],
)
def test_each_file_that_is_no_list_is_told_what_it_is(
    data: bytes, english: str, dutch: str
) -> None:
    message = _refusal("suppliers.xlsx", data)
    assert message.startswith("suppliers.xlsx: ") and english in message
    assert dutch in _refusal("suppliers.xlsx", data, "nl")


def test_the_password_of_an_xls_is_named_not_told_as_unreadable() -> None:
    """LibreOffice's .xls with a password: calamine says "Cannot detect file format",
    which was "the Excel 97-2003 (.xls) workbook cannot be read" (open it and save
    it again: the member did, and got the same)."""
    message = _refusal("list.xls", (FILES / "protected.xls").read_bytes())
    assert "protected with a password" in message and "workbook cannot be read" not in message
    # An .xls without a password is read as before.
    assert read_table("list.xls", (FILES / "suppliers.xls").read_bytes()).rows


@pytest.mark.parametrize("bom", [True, False])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_csv_named_xlsx_is_told_it_is_text_and_reads_as_csv(
    encoding: str, bom: bool
) -> None:
    """Excel's "Unicode text" export renamed .xlsx: text, not binary (its letters
    are half NUL bytes); named .csv, it is read, even with Latin letters only and
    no byte-order mark (that one was refused as "not a text file" before)."""
    text = "name\taddress\tcountry\nA Knit Ltd\tRoad 1, Dhaka\tBangladesh\n"
    data = ("\ufeff" if bom else "").encode(encoding) + text.encode(encoding)
    message = _refusal("list.xlsx", data)
    assert "the name says .xlsx but the file is plain text, not a workbook" in message
    assert "name it .csv" in message
    table = read_table("list.csv", data)
    assert table.header == ["name", "address", "country"]
    assert table.rows == [(2, ["A Knit Ltd", "Road 1, Dhaka", "Bangladesh"])]


def test_text_in_legacy_encodings_is_not_taken_for_binary() -> None:
    rows = "naam;adres;land\nCafé Müller GmbH;Straße 1, Köln;Deutschland\n" * 40
    for encoding in ("cp1252", "latin-1", "utf-8", "utf-8-sig"):
        table = read_table("l.csv", rows.encode(encoding))
        assert table.rows[0][1][0] == "Café Müller GmbH", encoding
    chinese = "名称,地址,国家\n广州服装厂,天河路 1,中国\n" * 20
    assert read_table("l.csv", chinese.encode("gb18030")).rows[0][1][0] == "广州服装厂"


@pytest.mark.django_db
def test_a_random_file_uploaded_on_the_page_is_told_and_kept(client, world) -> None:
    client.force_login(world.member_a)
    data = b"\x01" + _random_bytes(5000, seed=4)
    r = client.post(
        "/supply-chain/upload/",
        {
            "covenant": world.covenant_x.pk,
            "year": 2025,
            "file": SimpleUploadedFile("leveranciers.xlsx", data),
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert f"leveranciers.xlsx: {BINARY_NL}" in page
    assert "platte tekst" not in page and "Traceback" not in page
    # Kept as received, outside the disclosure, with its reason (in English for the admin).
    sl = SupplierList.objects.get()
    assert sl.status == "failed" and BINARY_EN in sl.error
    assert sl.file.read() == data and not sl.rows.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "The file you chose is empty (0 bytes)"),
        ("nl", "Het gekozen bestand is leeg (0 bytes)"),
    ],
)
def test_an_empty_file_on_the_page_is_told_with_what_to_upload(client, world, language, said):
    """Django's own "The submitted file is empty." named nothing to upload instead."""
    client.force_login(world.member_a)
    r = client.post(
        "/supply-chain/upload/",
        {"covenant": world.covenant_x.pk, "year": 2025, "file": SimpleUploadedFile("l.xlsx", b"")},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    page = r.content.decode()
    assert r.status_code == 200 and said in page and ".xlsx, .xls, .ods" in page
    assert not SupplierList.objects.exists()  # nothing to keep


def test_private_use_unassigned_and_written_replacement_characters_are_text() -> None:
    """UTF-8 text may hold private-use and unassigned code points and a U+FFFD
    someone typed or pasted; none of it makes the file binary (the risk reader's
    property test writes such names)."""
    names = ["\ue000\ue001 Icon Ltd", "\U000e0080 Unassigned", "\ufffd\ufffd Pasted"] * 5
    text = "name,country\n" + "".join(f"{n},BD\n" for n in names)
    table = read_table("l.csv", text.encode("utf-8"))
    assert [r[0] for _, r in table.rows][:3] == names[:3]
