"""Reading supplier-list files as companies send them, and checking every row.

A supplier list arrives as CSV (any common encoding and delimiter) or as a
workbook (.xlsx, .xls, .ods), with headers in Dutch or English named the
company's own way. This module turns the bytes into a table, recognises the
columns, and validates each row. Everything that can go wrong gets a message
naming the file, the row (as the spreadsheet numbers it) and the column.

Plain Python, no Django: the web job and `imvo match` share it.

Decisions written down:
- The list is read from the visible worksheet whose first rows hold a header we
  recognise with rows below it, else the one naming the most columns, else one
  with rows (hidden lookup sheets, an instructions sheet, an empty first sheet or
  an empty copy of the template in front are common: `_pick_sheet`). The header
  is the one of the first ten rows naming the most known columns, at least two
  (title rows above the table are skipped; a two-row header's merged labels fill
  the lower row's empty cells); when none is, the first non-empty row is the
  header and the user maps the columns.
- An address split over columns (building, street, house number, lines 2 and 3,
  district, postcode, city, state or province) is joined into the address, each
  part once: `combine_address`.
- A postcode a spreadsheet kept as a number gets its leading zeros back where
  the country's postcodes have a fixed length (`postcodes.restore`, with a row
  warning); an .xlsx cell in a zero-padded format is read as shown. An .ods or
  .xls cell's format is not read: an identifier held there as a number gets a
  warning that its leading zeros may be lost (`_lost_zeros`).
- A hidden sheet is never the list; a hidden row, and a field read from a hidden
  .xlsx column, are read with a warning (`hidden_parts`, `_xlsx_hidden_columns`).
- A formula where the coordinates go leaves them out with a warning; the row is
  kept (they are optional).
- Formula cells in a workbook are read as the values the spreadsheet program
  last computed (what the user sees); an .xlsx formula saved without its result
  (files written by programs) is read as its "=..." text and rejected. A CSV cell that starts with "=" is a
  formula nobody computed: the row is rejected with a message.
- A workbook given a wrong name is still read by its content; a file named
  .xlsx/.xls/.ods that is no workbook at all is refused (say what it looks like).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import logging
import re
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from imvo.core.exports import looks_like_formula
from imvo.supplychain import geo, postcodes
from imvo.supplychain.normalise import (
    _key,
    normalise_addresses,
    normalise_country,
    normalise_names,
    normalise_text,
)
from imvo.supplychain.reasons import Reason

log = logging.getLogger(__name__)

# Rows between two calls of a `progress` callback (read_table, validate_rows): the
# caller decides how often it writes them down (services._Progress, by time).
PROGRESS_ROWS = 1000
Progress = Callable[[int], None]

MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 100_000
# Zip-bomb guard for .xlsx/.ods (zip archives): total unpacked size and ratio.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 150
# A sheet is read as a dense grid: a single cell written at row 1,048,576,
# column XFD makes a 6 KB file ask for 17 billion cells (found when the parser
# fuzz test's mutated workbook ran a CI machine out of memory). 100,000 rows x
# 50 columns is the most a sheet may span.
MAX_CELLS = 5_000_000
# A cell longer than this is a row error, not a crash (a 200 KB cell answered 500:
# csv's field limit); mapped fields also have their own, shorter limits.
MAX_CELL_CHARS = 2_000
# The most columns a list may fill (a CSV is otherwise as wide as its longest line:
# 200,000 columns in 1.9 MB were kept as the header and offered in every choice of
# the column-mapping page, a page that held a server worker for minutes; T48).
MAX_COLUMNS = 250  # the mapping page: 3 s at 250 columns, 19 s at 1,000 (T48)
FIELD_MAX_CHARS = {
    "name": 500,
    "address": 1_000,
    "building": 200,
    "house_number": 50,
    "address_2": 500,
    "address_3": 500,
    "district": 200,
    "postcode": 50,
    "city": 200,
    "region": 200,
    "country": 200,
    "sector": 200,
    "product": 200,
    "tier": 100,
    "identifier": 200,
}

# Encodings tried for a CSV that is not UTF-8, in order of preference when they
# read the text equally well (West-European first: the covenants' members).
FALLBACK_ENCODINGS = ["cp1252", "cp1254", "cp1250", "iso-8859-15"]
# The legacy code pages of production countries' other scripts (Chinese, Japanese,
# Korean, Cyrillic, Greek, Arabic, Thai, Vietnamese): what a member can pick on the
# preview when the letters look wrong (`_guess_encoding` finds them on its own).
OTHER_SCRIPT_ENCODINGS = [
    "gb18030", "big5", "cp932", "cp949", "cp1251", "cp1253", "cp1256", "cp874", "cp1258",
]  # fmt: skip
# Letters of the covenants' West-European languages weigh 1; Central-European and
# Turkish letters 0.5 (real, but rarer here); anything else that is not ASCII
# (currency signs, Ÿ, control characters) 0 or less. "São João" read as cp1250
# ("Săo Joăo") scores 0.5 a letter, as cp1252 1.0.
_WESTERN = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüÿßœÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜŒ€…°ºª«»·") | {
    "\u2018",
    "\u2019",
    "\u201c",
    "\u201d",
    "\u2013",
    "\u2014",  # quotes and dashes
}
_OTHER_LETTERS = set("ąćęłńśźżčďěňřšťůžőűăşţğıİĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽŐŰĂŞŢĞ")

# Columns that complete the address when a list splits it (Dutch, German and ERP
# exports: street, house number, postcode and city apart; Asian suppliers' lists:
# building, address lines 1 to 3, district, state or province). They are joined
# with the address column in this order: "building, street number, line 2, line
# 3, district, postcode city, region" (`combine_address`), as addresses are
# written in the registry.
ADDRESS_PARTS = [
    "building",
    "house_number",
    "address_2",
    "address_3",
    "district",
    "postcode",
    "city",
    "region",
]

FIELDS = [
    "name",
    "address",
    *ADDRESS_PARTS,
    "country",
    "sector",
    "product",
    "tier",
    "workers",
    "lat",
    "lng",
    "coordinates",
    "identifier",
]
REQUIRED = ["name", "address", "country"]

FIELD_LABELS = {
    "name": "name",
    "address": "address",
    "building": "building",
    "house_number": "house number",
    "address_2": "address line 2",
    "address_3": "address line 3",
    "district": "district",
    "postcode": "postcode",
    "city": "city",
    "region": "state or province",
    "country": "country",
    "sector": "sector",
    "product": "product",
    "tier": "tier",
    "workers": "number of workers",
    "lat": "latitude",
    "lng": "longitude",
    "coordinates": "coordinates (latitude, longitude)",
    "identifier": "identifier",
}

# Normalised header text -> field. Dutch and English, as companies write them.
HEADER_ALIASES: dict[str, str] = {}
for _field, _names in {
    "name": [
        "name",
        "facility name",
        "factory name",
        "supplier name",
        "supplier",
        "factory",
        "facility",
        "production location",
        "production site",
        "site name",
        "vendor",
        "manufacturer",
        "naam",
        "naam fabriek",
        "fabriek",
        "productielocatie",
        "leverancier",
        "naam leverancier",
        "naam productielocatie",
        "bedrijfsnaam",
        "company name",
        "name of facility",
        # German and French, as members' suppliers' own lists come.
        "lieferant",
        "lieferantenname",
        "firma",
        "firmenname",
        "fabrik",
        "produktionsstatte",
        "nom",
        "fournisseur",
        "nom du fournisseur",
        "raison sociale",
        "usine",
        "site de production",
    ],
    "address": [
        "address",
        "facility address",
        "factory address",
        "full address",
        "street address",
        "location",
        "adres",
        "straat",
        "vestigingsadres",
        "adres fabriek",
        "address line",
        # The street, or the first line, when the address is split over columns.
        "street",
        "street name",
        "streetname",
        "street 1",
        "street and number",
        "street and house number",
        "address line 1",
        "address 1",
        "address1",
        "straatnaam",
        "straat en huisnummer",
        "adresregel 1",
        "adres 1",
        "adresse",
        "anschrift",
        "strasse",
        "strasse und hausnummer",
        "rue",
        "adresse 1",
        "adresse ligne 1",
        "adresse postale",
    ],
    "house_number": [
        "house number",
        "housenumber",
        "house no",
        "house nr",
        "street number",
        "building number",
        "huisnummer",
        "huisnr",
        "huis nr",
        "hausnummer",
        "hausnr",
        "haus nr",
        "numero",
        "numero de rue",
        "no de rue",
    ],
    "address_2": [
        "address line 2",
        "address 2",
        "address2",
        "street 2",
        "adresregel 2",
        "adres 2",
        "adresse 2",
        "adresse ligne 2",
        "straat 2",
        "strasse 2",
        "adresszusatz",
        "complement d adresse",
        "complement dadresse",
        "complement adresse",
    ],
    "address_3": [
        "address line 3",
        "address 3",
        "address3",
        "street 3",
        "adresregel 3",
        "adres 3",
        "adresse 3",
        "adresse ligne 3",
        "straat 3",
        "strasse 3",
    ],
    "building": [
        "building",
        "building name",
        "building floor",
        "floor building",
        "unit building",
        "gebouw",
        "gebaude",
        "batiment",
    ],
    "district": [
        "district",
        "sub district",
        "subdistrict",
        "area",
        "neighbourhood",
        "neighborhood",
        "ward",
        "upazila",
        "thana",
        "county",
        "wijk",
        "stadsdeel",
        "ortsteil",
        "stadtteil",
        "bezirk",
        "quartier",
        "arrondissement",
    ],
    "region": [
        "state",
        "province",
        "state province",
        "province state",
        "region",
        "state region",
        "provincie",
        "bundesland",
        "provinz",
        "departement",
    ],
    "postcode": [
        "postcode",
        "post code",
        "postal code",
        "postalcode",
        "zip",
        "zip code",
        "zipcode",
        "zip postal code",
        "plz",
        "postleitzahl",
        "code postal",
        "cp",
    ],
    "city": [
        "city",
        "town",
        "city town",
        "town city",
        "municipality",
        "plaats",
        "woonplaats",
        "vestigingsplaats",
        "stad",
        "gemeente",
        "ort",
        "stadt",
        "ville",
        "commune",
        "localite",
    ],
    "country": [
        "country",
        "country name",
        "country code",
        "country iso",
        "nation",
        "land",
        "landcode",
        "land van productie",
        "produktionsland",
        "pays",
        "pays de production",
        "country of production",
        "production country",
    ],
    "sector": ["sector", "sectors", "industry", "branche", "sector s"],
    "product": [
        "product",
        "products",
        "product type",
        "product category",
        "producten",
        "productgroep",
        "product groep",
        "soort product",
        "goods",
    ],
    "tier": ["tier", "supply chain tier", "schakel", "niveau", "tier level", "processing type"],
    "workers": [
        "workers",
        "number of workers",
        "no of workers",
        "nr of workers",
        "employees",
        "number of employees",
        "werknemers",
        "aantal werknemers",
        "medewerkers",
        "aantal medewerkers",
        "headcount",
        "workforce",
    ],
    # Open Supply Hub names them lat and lng.
    "lat": ["lat", "latitude", "breedtegraad", "y", "gps latitude"],
    "lng": ["lng", "lon", "long", "longitude", "lengtegraad", "x", "gps longitude"],
    "coordinates": [
        "coordinates",
        "coordinaten",
        "lat lng",
        "lat lon",
        "lat long",
        "latlng",
        "latitude longitude",
        "gps",
        "gps coordinates",
        "geo",
        "location coordinates",
    ],
    "identifier": [
        "id",
        "identifier",
        "facility id",
        "os id",
        "osh id",
        "oar id",
        "supplier id",
        "vendor id",
        "registration number",
        "kvk",
        "duns",
        "gln",
    ],
}.items():
    for _n in _names:
        HEADER_ALIASES[_n] = _field


def _(message: str) -> str:
    """Marks a message for translation and returns it unchanged: a `ParseError` keeps
    the English text and its values, and is put in the language of whoever reads it
    when it is read (`Reason.render`), not in the language of the process that
    raised it (the worker's)."""
    return message


def _password_protected(filename: str) -> ParseError:
    return ParseError(
        _(
            "%(file)s: the workbook is protected with a password, so it cannot be "
            "read. Remove the password (File > Info > Protect workbook) and upload "
            "it again."
        ),
        {"file": filename},
    )


def _damaged(filename: str, error: BaseException, kind: str = "xlsx") -> ParseError:
    """A reader library's failure (zipfile, calamine, the XML parser) as a reason of
    our own, in the reader's language. The library's words ("File is not a zip
    file", "CalamineError: Cannot detect file format") are English and technical:
    they stood untranslated inside the Dutch message; they go to the log only."""
    detail = f"{type(error).__name__}: {error}"
    log.info("%s (%s) could not be read: %s", filename, kind, detail)
    lowered = detail.lower()
    if "password" in lowered or "encrypt" in lowered:
        return _password_protected(filename)
    if isinstance(error, zipfile.BadZipFile | zlib.error | EOFError) or any(
        word in lowered for word in ("zip", "eof", "deflate", "truncated", "crc")
    ):
        return ParseError(
            _(
                "%(file)s: the workbook is damaged or incomplete (it may have been cut off "
                "while it was copied or downloaded), so it cannot be opened. Open it in your "
                "spreadsheet program, save it again and upload that file, or export it as CSV."
            ),
            {"file": filename},
        )
    if "xml" in lowered:
        return ParseError(
            _(
                "%(file)s: the inside of the workbook is damaged (its contents are not "
                "written as a spreadsheet program writes them), so it cannot be read. Open it "
                "in your spreadsheet program, save it again as .xlsx, or export it as CSV."
            ),
            {"file": filename},
        )
    return ParseError(
        _(
            "%(file)s: the %(kind)s workbook cannot be read. Open it in your spreadsheet "
            "program, save it again as .xlsx, or export it as CSV."
        ),
        {"file": filename, "kind": kind},
    )


class ParseError(Exception):
    """The file as a whole cannot be read. The message is written for the user.

    It is kept as a `Reason` (the English text and its values), so a failed
    list shows it in the reader's language; `str()` renders it in the active one."""

    def __init__(
        self,
        message: str,
        params: dict[str, str | int | float] | None = None,
        translated: tuple[str, ...] = (),
    ) -> None:
        self.reason = Reason(message, dict(params or {}), translated)
        super().__init__(message)

    def __str__(self) -> str:
        return self.reason.render()


@dataclass
class Table:
    """A file read as text cells: the header row and the data rows with their
    spreadsheet row numbers."""

    filename: str
    kind: str  # csv, xlsx, xls, ods
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""
    complete: bool = True  # False: only the head of the file was read (read_table(head=...))
    # The workbook sheet the list was read from (`_pick_sheet`); "" when it is the
    # workbook's only sheet (nothing to tell the reader) and for CSV.
    sheet: str = ""
    # CSV rows in which a quote opens a cell and never closes (`_csv_records`).
    stray_quotes: set[int] = field(default_factory=set)
    # Rows hidden in the workbook (hidden by hand or by a filter: .xlsx, .ods), read
    # like the others with a warning; the hidden sheets, never read (`hidden_parts`).
    hidden_rows: set[int] = field(default_factory=set)
    hidden_sheets: list[str] = field(default_factory=list)
    # Other visible sheets that hold a list too (a recognised header and rows below
    # it): not read, named on the preview (only one sheet is read per file).
    other_lists: list[str] = field(default_factory=list)
    # Columns (0-based) hidden in an .xlsx sheet: their cells are read like the
    # others, with a warning where a field is read from one (`hidden_parts`).
    hidden_columns: set[int] = field(default_factory=set)
    # Cells (row number, 0-based column) that an .ods or .xls sheet holds as whole
    # numbers: their display format is not read, so leading zeros may be lost
    # (`_lost_zeros`). An .xlsx cell's format is read (`_zero_padded_cells`).
    number_cells: set[tuple[int, int]] = field(default_factory=set)

    def column_mapping(self) -> dict[str, int]:
        """Recognised columns: field -> column index (first column wins)."""
        return recognise_headers(self.header)


@dataclass
class RowResult:
    """One supplier-list row after validation."""

    number: int
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    # Problems that leave the row valid (a bad optional field is dropped): (column, message).
    warnings: list[tuple[str, str]] = field(default_factory=list)
    duplicate_of: int | None = None

    @property
    def valid(self) -> bool:
        return not self.errors and self.duplicate_of is None


def recognise_headers(header: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for i, h in enumerate(header):
        field_name = HEADER_ALIASES.get(_key(h or ""))
        if field_name and field_name not in mapping:
            mapping[field_name] = i
    return mapping


# A plain string at import (gettext_noop reads the settings, and the matcher's benchmark
# and `imvo match` import this module before any); marked where `_sniff_kind` returns it.
_HTML = "a web page (HTML)"


def _sniff_kind(data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        return "zip"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "ole"
    if data[:5] == b"%PDF-":
        return gettext_noop("a PDF document")
    if (
        data[:8] == b"\x89PNG\r\n\x1a\n"
        or data[:3] == b"\xff\xd8\xff"
        or data[:6] in (b"GIF87a", b"GIF89a")
        or data[:4] in (b"II*\x00", b"MM\x00*")
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    ):
        return gettext_noop("an image")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return gettext_noop("a web page (HTML)")
    if head.startswith(b"{\\rtf"):
        return gettext_noop("a Rich Text document")
    return "text"


def _binary(filename: str) -> ParseError:
    """A file that is no format we know and no text either: random bytes, a
    program, a damaged or encrypted file of another program. Named .xlsx it was
    told "plain text, not a workbook" before, which sent the member looking for a
    CSV export that is not there."""
    return ParseError(
        _(
            "%(file)s: this file is not a spreadsheet or CSV: it looks like binary data "
            "(a file of another program, or a damaged one), not text and not a workbook we "
            "know. Upload the supplier list as .xlsx, .xls, .ods or .csv (saved from your "
            "spreadsheet program)."
        ),
        {"file": filename},
    )


# Characters that no text file holds more than a stray few of: control characters
# (tab, line ends, form and vertical feed and the DOS end-of-file mark excepted) and
# surrogates. Private-use and unassigned code points are valid text (a property
# test of the risk reader writes them), so they do not count.
_TEXT_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1a")
_NOT_TEXT = frozenset(("Cc", "Cs"))
BINARY_SAMPLE = 64 * 1024


def _looks_binary(text: str, replaced_count: bool = True) -> bool:
    """Whether decoded text is in fact binary data: more than 1% of its first
    characters (and more than two) are what no text holds. A stray NUL or two in
    a text file stays a row error (`_read_csv`). `replaced_count`: the U+FFFD of
    bytes the encoding could not read count too (not when the member chose the
    encoding: a wrong choice gives many, and the page offers another; nor in text
    that read as UTF-8 without an error, where a U+FFFD is one written)."""
    import unicodedata

    sample = text[:BINARY_SAMPLE]
    bad = sum(
        1
        for ch in sample
        if (ch == "\ufffd" and replaced_count)
        or (ch not in _TEXT_CONTROLS and unicodedata.category(ch) in _NOT_TEXT)
    )
    return bad > max(2, len(sample) // 100)


def _not_a_list(filename: str, kind: str) -> ParseError:
    """`kind`: what the file is, a message marked where it is named."""
    return ParseError(
        _(
            "%(file)s: this is %(kind)s, not a supplier list. Upload a .csv, .xlsx, .xls or .ods file."
        ),
        {"file": filename, "kind": kind},
        translated=("kind",),
    )


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


# A BIFF8 workbook stream whose BOF record is followed by FILEPASS (0x002F): an .xls
# saved with a password to open it (Excel, LibreOffice). calamine says only "Cannot
# detect file format".
_XLS_FILEPASS = re.compile(rb"\x09\x08\x10\x00.{16}\x2f\x00", re.DOTALL)


def _check_ole(filename: str, data: bytes) -> None:
    """An OLE2 compound file (what .xls, an encrypted .xlsx, .doc and .ppt are):
    refused with what it is unless it holds a workbook to read. Its streams are
    found by their names, stored in UTF-16 in the file's directory."""
    if _utf16("EncryptedPackage") in data:  # an .xlsx saved with a password
        raise _password_protected(filename)
    if _utf16("WordDocument") in data:
        raise _not_a_list(filename, gettext_noop("a Word document"))
    if _utf16("PowerPoint Document") in data:
        raise _not_a_list(filename, gettext_noop("a PowerPoint presentation"))
    if _utf16("Workbook") not in data and _utf16("Book") not in data:
        raise _binary(filename)
    if _XLS_FILEPASS.search(data[: 1024 * 1024]):
        raise _password_protected(filename)


# What a damaged archive raises besides BadZipFile (found by the parser fuzz test).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ValueError,
    EOFError,
    OSError,
    NotImplementedError,
)


def _check_zip(filename: str, data: bytes) -> str:
    """xlsx or ods, after the zip-bomb check. Raises ParseError otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as e:
        raise _damaged(filename, e) from e
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise ParseError(
            _(
                "%(file)s: the workbook would unpack to %(mb)s MB (%(ratio)sx its size); "
                "that is more than we accept (%(max_mb)s MB, %(max_ratio)sx). Save it again "
                "without unused rows and images, or send a CSV file."
            ),
            {
                "file": filename,
                "mb": unpacked // (1024 * 1024),
                "ratio": unpacked // packed,
                "max_mb": MAX_UNPACKED_BYTES // (1024 * 1024),
                "max_ratio": MAX_RATIO,
            },
        )
    names = {i.filename for i in infos}
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "mimetype" in names:
        try:
            mime = archive.read("mimetype").strip()
            manifest = (
                archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            )
        except _ZIP_ERRORS as e:
            raise _damaged(filename, e) from e
        if mime == b"application/vnd.oasis.opendocument.spreadsheet":
            if b"encryption-data" in manifest:  # saved with a password: its parts are ciphered
                raise _password_protected(filename)
            return "ods"
        if mime.startswith(b"application/vnd.oasis.opendocument.text"):
            raise _not_a_list(filename, gettext_noop("a text document (.odt)"))
    if filename.lower().endswith(".numbers") or any(
        n.startswith("Index/") and n.endswith(".iwa") for n in names
    ):
        raise ParseError(
            _(
                "%(file)s: this is an Apple Numbers file, which we cannot read. In Numbers, "
                "choose File > Export To > Excel (or CSV) and upload that file."
            ),
            {"file": filename},
        )
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        raise _not_a_list(filename, gettext_noop("a Word document"))
    if "[Content_Types].xml" in names and any(n.startswith("ppt/") for n in names):
        raise _not_a_list(filename, gettext_noop("a PowerPoint presentation"))
    raise ParseError(
        _(
            "%(file)s: this is a zip archive, not a spreadsheet. "
            "Upload the .xlsx, .xls, .ods or .csv itself."
        ),
        {"file": filename},
    )


# Cells with content: "<c r=...>" opened, not the self-closing "<c r=... s=.../>" of
# an empty formatted cell, which the reader skips.
_XLSX_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,9})\"[^>]*(?<!/)>")
# Rows holding cells (cells without "r" are placed by their row's number).
_XLSX_ROW_REF = re.compile(
    rb"<(?:\w+:)?row\s[^>]*?\br=\"([0-9]{1,9})\"[^>]*(?<!/)>\s*<(?:\w+:)?c[\s>]"
)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _too_wide(filename: str, rows: int, columns: int) -> ParseError:
    return ParseError(
        _(
            "%(file)s: the sheet has something in row %(row)s, column %(column)s, so it "
            "spans %(cells)s cells; we read at most %(max_cells)s (%(max_rows)s rows of 50 "
            "columns). Delete the unused rows and columns below and to the right of the "
            "list (or save it as CSV) and upload it again."
        ),
        {
            "file": filename,
            "row": rows,
            "column": columns,
            "cells": rows * columns,
            "max_cells": MAX_CELLS,
            "max_rows": MAX_ROWS,
        },
    )


def _check_xlsx_extent(filename: str, data: bytes) -> None:
    """Refuse an xlsx whose cells reach far enough to exhaust memory, before the
    reader allocates its grid. Cell positions are read from the sheets' XML
    (already bounded by the zip-bomb check)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            try:
                xml = archive.read(name)
            except _ZIP_ERRORS as e:
                raise _damaged(filename, e) from e
            rows = columns = 1
            for letters, digits in _XLSX_CELL_REF.findall(xml):
                rows = max(rows, int(digits))
                columns = max(columns, _column_number(letters))
            for digits in _XLSX_ROW_REF.findall(xml):
                rows = max(rows, int(digits))
            if rows * columns > MAX_CELLS:
                raise _too_wide(filename, rows, columns)


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _check_ods_extent(filename: str, data: bytes) -> None:
    """Refuse an ods whose repeated rows and columns with content would make the
    reader build a grid of more than MAX_CELLS cells (a 32 KB file can ask for
    50 million: 6 GB of memory before any check after reading). Empty repeated
    rows and cells, which LibreOffice writes up to the sheet's last row and
    column, count only when content follows them."""
    from xml.etree.ElementTree import ParseError as XMLParseError

    from defusedxml.ElementTree import iterparse  # no entity expansion, no external DTDs

    table, row_tag = _ODS_TABLE + "table", _ODS_TABLE + "table-row"
    cells = {_ODS_TABLE + "table-cell", _ODS_TABLE + "covered-table-cell"}
    rows_rep, cols_rep = _ODS_TABLE + "number-rows-repeated", _ODS_TABLE + "number-columns-repeated"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as xml:
            row = column = rows = columns = 0
            row_repeat, row_has_content = 1, False
            for event, el in iterparse(xml, events=("start", "end")):
                if event == "start":
                    if el.tag == table:
                        row = 0
                    elif el.tag == row_tag:
                        column, row_has_content = 0, False
                        row_repeat = int(el.get(rows_rep, "1") or 1)
                    continue
                if el.tag in cells:
                    repeat = int(el.get(cols_rep, "1") or 1)
                    has_content = el.get(_ODS_OFFICE + "value-type") is not None or any(
                        True for _p in el.iter(_ODS_TEXT + "p")
                    )
                    column += repeat
                    if has_content:
                        row_has_content = True
                        columns = max(columns, column)
                    el.clear()
                elif el.tag == row_tag:
                    row += row_repeat
                    if row_has_content:
                        rows = max(rows, row)
                    el.clear()
                if rows * columns > MAX_CELLS:
                    raise _too_wide(filename, rows, columns)
    except ParseError:
        raise
    except (KeyError, XMLParseError, *_ZIP_ERRORS):
        return  # damaged: the reader then refuses it with what is wrong


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, int]:
    """Where the header is among a sheet's first non-empty rows (number, cells): the
    position of the one of the first ten naming the most known columns (at least
    two; the first of equals), else 0, and how many it names (0: none found).
    "The most", not "the first with two": a two-row header whose upper row holds
    merged group labels ("Facility" over name and address, "Country") names two,
    the row below it more."""
    best, strength = 0, 0
    for position in range(min(10, len(rows))):
        row = _header_cells(rows, position)
        found = len(recognise_headers([normalise_text(c) for c in row]))
        if found >= 2 and found > strength:
            best, strength = position, found
    return best, strength


def _header_cells(rows: list[tuple[int, list[str]]], position: int) -> list[str]:
    """The cells of the row at `position` read as a header: a two-row header's label
    merged over both rows ("Country" beside "Name" and "Address" under "Facility")
    is written in the upper row only, so an empty cell takes the text of the row
    right above it."""
    number, row = rows[position]
    if not position or rows[position - 1][0] != number - 1:
        return row
    above = rows[position - 1][1]
    row = row + [""] * (len(above) - len(row))
    return [h or (above[i] if i < len(above) else "") for i, h in enumerate(row)]


@dataclass(frozen=True)
class _SheetHead:
    """What a sheet's first rows hold: how many known columns its header names (0:
    none), whether rows follow the header, and whether it holds anything."""

    strength: int
    rows_below: bool
    filled: bool

    @classmethod
    def of(cls, rows: list[list[str]]) -> _SheetHead:
        non_empty = [(i, row) for i, row in enumerate(rows, start=1) if any(row)]
        position, strength = _find_header(non_empty)
        return cls(strength, position + 1 < len(non_empty), bool(non_empty))

    def rank(self) -> tuple[bool, int, bool, bool]:
        return (
            bool(self.strength) and self.rows_below,
            self.strength,
            self.rows_below,
            self.filled,
        )


def _pick_sheet(visible: list[int], head_of: Any) -> tuple[int, dict[int, _SheetHead]]:
    """The sheet a supplier list is read from, among the visible worksheets (their
    indices in the workbook's order), and what each one's first rows hold: a sheet
    with a recognised header and rows below it, naming the most known columns;
    else the one naming the most; else one with rows; else one with anything; the
    first of equals. A hidden lookup sheet in front, an instructions sheet before the
    list (which may itself name a column or two), an empty first sheet, or an empty
    copy of the template beside the filled one is what real workbooks have.
    `head_of(i)` reads a sheet's first rows."""
    if len(visible) == 1:
        return visible[0], {}
    heads = {index: _SheetHead.of(head_of(index)) for index in visible}
    best = max(visible, key=lambda i: (heads[i].rank(), -i))
    return best, heads


# A workbook as read: the chosen sheet's cells as text, its name, the other
# visible sheets' names with what their first rows hold (for the messages), and how
# many sheets the workbook has (hidden ones too).
_Sheet = tuple[list[list[str]], str, list[tuple[str, _SheetHead]], int]


def _others(
    names: list[str], index: int, heads: dict[int, _SheetHead]
) -> list[tuple[str, _SheetHead]]:
    return [(names[i], head) for i, head in heads.items() if i != index]


def _read_workbook(
    filename: str,
    data: bytes,
    kind: str,
    head: int | None = None,
    numbers: set[tuple[int, int]] | None = None,
) -> _Sheet:
    """The chosen sheet's cells as text, its name, and what the other sheets hold.
    `numbers` receives the (row number, column) of every cell held as a whole number
    (asked of .ods and .xls, whose number formats are not read)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    if kind == "xlsx":
        _check_xlsx_extent(filename, data)
        if head is not None:
            streamed = _xlsx_head(data, head)
            if streamed is not None:
                return streamed
    elif kind == "ods":
        _check_ods_extent(filename, data)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise ParseError(_("%(file)s: the workbook has no sheets."), {"file": filename})
        metadata = book.sheets_metadata
        visible = [
            i
            for i, m in enumerate(metadata)
            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ] or [0]

        loaded: dict[int, Any] = {}

        def grid(index: int, nrows: int | None) -> list[list[Any]]:
            sheet = loaded.get(index) or loaded.setdefault(index, book.get_sheet_by_index(index))
            # .xls is bounded by its format (65,536 x 256); check before turning the
            # grid into Python objects.
            if sheet.height * sheet.width > MAX_CELLS:
                raise _too_wide(filename, sheet.height, sheet.width)
            return sheet.to_python(skip_empty_area=False, nrows=nrows)

        index, heads = _pick_sheet(
            visible, lambda i: [[_cell_text(v) for v in row] for row in grid(i, 20)]
        )
        raw = grid(index, head)
        name = book.sheet_names[index]
        others = _others(book.sheet_names, index, heads)
    except (ParseError, KeyboardInterrupt, SystemExit):
        raise
    # calamine raises its own error types for damaged files, and on some it panics:
    # pyo3's PanicException is a BaseException (found by the parser fuzz test).
    except BaseException as e:
        raise _damaged(filename, e, kind) from e
    cells = [[_cell_text(v) for v in row] for row in raw]
    if numbers is not None:
        numbers.update(
            (r, c)
            for r, row in enumerate(raw, start=1)
            for c, v in enumerate(row)
            if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer()
        )
    if kind == "xlsx":
        _xlsx_as_shown(data, name, cells)
    return cells, name, others, len(book.sheet_names)


def _xlsx_as_shown(data: bytes, sheet_name: str, cells: list[list[str]]) -> None:
    """What calamine does not give of an .xlsx sheet, from its XML: formulas saved
    without a result (`_uncomputed_formulas`) and whole numbers shown with leading
    zeros (`_zero_padded_cells`)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets, _strings = _xlsx_sheets(archive)
            path = next(p for name, p, _visible in sheets if name == sheet_name)
            xml = archive.read(path)
            padded = _xlsx_dates(archive).padded
    except (StopIteration, KeyError, ValueError, *_ZIP_ERRORS):
        return
    except Exception:  # the styles' XML is damaged: the cells as calamine read them
        log.info("the styles of %s could not be read", sheet_name, exc_info=True)
        return
    _uncomputed_formulas(xml, cells)
    if padded:
        _zero_padded_cells(xml, padded, cells)


def _put(cells: list[list[str]], row: int, column: int, text: str) -> None:
    while len(cells) <= row:
        cells.append([])
    cells[row].extend([""] * (column + 1 - len(cells[row])))
    cells[row][column] = text


_XLSX_STYLED_NUMBER = re.compile(
    rb"<(?:\w+:)?c\s(?=[^>]*\bs=\"([0-9]+)\")(?![^>]*\bt=\"(?!n\"))[^>]*?"
    rb"\br=\"([A-Z]{1,3})([0-9]{1,9})\"[^>]*(?<!/)>(.*?)</(?:\w+:)?c>",
    re.S,
)
_XLSX_NUMBER_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>([0-9.E+-]+)</")


def _zero_padded_cells(xml: bytes, padded: dict[int, int], cells: list[list[str]]) -> None:
    """Whole numbers in a zero-padded format ("00000") as the member sees them:
    "01067", not 1067 (a German postcode that lost its zero)."""
    for cell in _XLSX_STYLED_NUMBER.finditer(xml):
        width = padded.get(int(cell.group(1)))
        value = _XLSX_NUMBER_VALUE.search(cell.group(4)) if width else None
        if width is None or value is None:
            continue
        try:
            shown = _padded(float(value.group(1)), width)
        except ValueError:
            continue
        if isinstance(shown, str):
            row, column = int(cell.group(3)) - 1, _column_number(cell.group(2)) - 1
            _put(cells, row, column, shown)


def _uncomputed_formulas(xml: bytes, cells: list[list[str]]) -> None:
    """Put the formula text ("=...") in the cells of an .xlsx sheet whose formula has
    no saved result. Excel and LibreOffice save each formula's last result beside
    it, which is what we read; files written by programs (openpyxl, exports of
    other systems) often hold the formula only, and the reader saw an empty cell:
    "the name is missing" for a name that is plainly there on screen. As "=..."
    the row check names it a formula to replace by its value."""
    if b"<f" not in xml and b":f" not in xml:
        return
    for cell in _XLSX_FORMULA_CELL.finditer(xml):
        body = cell.group(3)
        if (
            _XLSX_HAS_VALUE.search(body)
            or not _XLSX_FORMULA.search(body)
            or _XLSX_TEXT_CELL.search(cell.group(0)[: cell.start(3) - cell.start(0)])
        ):
            continue
        formula = _XLSX_FORMULA_TEXT.search(body)
        text = formula.group(1).decode("utf-8", "replace") if formula else ""
        row, column = int(cell.group(2)) - 1, _column_number(cell.group(1)) - 1
        _put(cells, row, column, "=" + _xml_unescape(text))


_XLSX_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,9})\"[^>]*(?<!/)>(.*?)</(?:\w+:)?c>", re.S
)
_XLSX_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A saved result: a non-empty <v>, inline text, or an empty <v> in a text cell (a
# formula whose result is "" is saved so by Excel and LibreOffice; openpyxl writes
# an empty <v> in a number cell for a formula it did not compute).
_XLSX_HAS_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>[^<]|<(?:\w+:)?is[\s>]")
_XLSX_TEXT_CELL = re.compile(rb"\bt=\"(?:str|s|inlineStr)\"")
_XLSX_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>(.*?)</(?:\w+:)?f>", re.S)


def _xml_unescape(text: str) -> str:
    from xml.sax.saxutils import unescape

    return unescape(text, {"&quot;": '"', "&apos;": "'"})


_XLSX_MAX_COLUMNS = 16_384  # XFD
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _local(tag: str) -> str:
    """An XML tag without its namespace (xlsx files come in two: transitional, strict)."""
    return tag.rsplit("}", 1)[-1]


def _xlsx_head(data: bytes, nrows: int) -> _Sheet | None:
    """The first `nrows` rows of an .xlsx's list sheet (`_pick_sheet`), streamed from
    its XML, with only the shared strings those rows use, and the sheet's name.
    calamine (and openpyxl) parse the whole sheet or the whole string table before
    giving a row: seconds in the upload request for a 100,000-row workbook, which
    needs the header and a few rows. None when the file is not as expected:
    calamine then reads it, or says why not."""
    from xml.etree.ElementTree import ParseError as XMLParseError

    from defusedxml.ElementTree import iterparse  # no entity expansion, no external DTDs

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets, strings = _xlsx_sheets(archive)
            visible = [i for i, (_n, _p, shown) in enumerate(sheets) if shown] or [0]
            dates = _xlsx_dates(archive)

            def read(index: int, count: int) -> list[list[str]]:
                rows, wanted = _xlsx_rows(archive, sheets[index][1], count, iterparse, dates)
                if wanted and max(wanted) > _HEAD_MAX_STRING:
                    raise ValueError("the head uses a string far down the table")
                if wanted:
                    table = _xlsx_strings(archive, strings, max(wanted), iterparse)
                    rows = [
                        [table[v.index] if isinstance(v, _SharedString) else v for v in row]
                        for row in rows
                    ]
                return [[_cell_text(v) for v in row] for row in rows]

            index, heads = _pick_sheet(visible, lambda i: read(i, 20))
            names = [name for name, _p, _shown in sheets]
            return read(index, nrows), names[index], _others(names, index, heads), len(names)
    except (KeyError, IndexError, ValueError, XMLParseError, *_ZIP_ERRORS):
        return None


# The streamed head reads the shared strings up to the last one its rows use, in
# Python: 2,000,000 strings (an 8 MB file within the zip-bomb bounds, its first row
# naming the last string) held the upload request 27 s. Past this index calamine
# reads the file instead (2 s for that one).
_HEAD_MAX_STRING = 50_000


@dataclass(frozen=True)
class _SharedString:
    index: int


def _xlsx_sheets(archive: zipfile.ZipFile) -> tuple[list[tuple[str, str, bool]], str]:
    """The worksheets in the workbook's order as (name, path, visible), and the path
    of the shared strings."""
    from defusedxml.ElementTree import fromstring

    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {el.get("Id"): el.get("Target", "") for el in rels.iter()}
    strings = next(
        (
            el.get("Target", "")
            for el in rels.iter()
            if el.get("Type", "").endswith("/sharedStrings")
        ),
        "sharedStrings.xml",
    )

    def path(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else "xl/" + target

    sheets = [
        (
            el.get("name", ""),
            path(targets[el.get(_RELATIONSHIP_ID)]),
            el.get("state", "visible") == "visible",
        )
        for el in workbook.iter()
        if _local(el.tag) == "sheet"
    ]
    if not sheets:
        raise ValueError("no sheets")
    return sheets, path(strings)


@dataclass(frozen=True)
class _XlsxDates:
    """Which cell styles show a number as a date or time, and the workbook's day 0;
    which show it with leading zeros, and how many digits ("00000": 5)."""

    styles: frozenset[int]
    epoch: Any  # datetime.datetime
    padded: dict[int, int] = field(default_factory=dict)


# Excel's built-in number formats that are dates or times (ECMA-376 18.8.30 and the
# East-Asian ones).
_BUILTIN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


def _is_date_format(code: str) -> bool:
    """A custom number format shows a date or time when, outside quoted text and
    [brackets] (colours, locales), it holds d, m, y, h or s (calamine's rule)."""
    bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code).lower()
    return bare != "general" and any(c in bare for c in "dmyhs")


def _xlsx_dates(archive: zipfile.ZipFile) -> _XlsxDates:
    """The date styles of an .xlsx, so the streamed head shows a date as the full
    reading (calamine) does, "2024-03-01", not as its serial number 45352: the
    preview showed one, the saved rows the other."""
    import datetime

    from defusedxml.ElementTree import fromstring

    # Spreadsheet dates have no time zone: naive, as calamine gives them.
    epoch = datetime.datetime(1899, 12, 30)  # noqa: DTZ001
    workbook = fromstring(archive.read("xl/workbook.xml"))
    if any(
        _local(el.tag) == "workbookPr" and el.get("date1904") in ("1", "true")
        for el in workbook.iter()
    ):
        epoch = datetime.datetime(1904, 1, 1)  # noqa: DTZ001
    try:
        styles = fromstring(archive.read("xl/styles.xml"))
    except KeyError:
        return _XlsxDates(frozenset(), epoch)
    codes = {
        int(el.get("numFmtId", "-1")): el.get("formatCode", "")
        for el in styles.iter()
        if _local(el.tag) == "numFmt"
    }
    custom = {number: _is_date_format(code) for number, code in codes.items()}
    xfs = next((el for el in styles.iter() if _local(el.tag) == "cellXfs"), None)
    found = set()
    padded = {}
    for i, xf in enumerate(x for x in (xfs if xfs is not None else []) if _local(x.tag) == "xf"):
        number = int(xf.get("numFmtId", "0"))
        if custom.get(number, number in _BUILTIN_DATE_FORMATS):
            found.add(i)
        if _ZERO_PADDED.fullmatch(codes.get(number, "")):
            padded[i] = len(codes[number])
    return _XlsxDates(frozenset(found), epoch, padded)


# A number format that shows a whole number with leading zeros: Excel's "Special >
# Zip Code" (00000) and the formats members give postcodes, phone numbers and
# registry numbers so that their zeros show. The cell holds the number (1067), the
# member sees "01067": it is read as shown.
_ZERO_PADDED = re.compile(r"00+")


def _padded(value: Any, width: int) -> Any:
    """A whole number shown by a zero-padded format, as shown."""
    if isinstance(value, float) and value.is_integer() and 0 <= value < 10**width:
        return str(int(value)).zfill(width)
    return value


def _serial_date(serial: float, epoch: Any) -> Any:
    """A date serial as calamine gives it: under 1 a time of day, whole a date,
    else a date and time."""
    import datetime

    moment = epoch + datetime.timedelta(days=serial)
    if serial < 1:
        return moment.time()
    return moment.date() if float(serial).is_integer() else moment


def _xlsx_rows(
    archive: zipfile.ZipFile, sheet: str, nrows: int, iterparse: Any, dates: _XlsxDates
) -> tuple[list[list[Any]], set[int]]:
    """Rows 1..nrows as lists of values (shared strings as their index), stopping at
    the first row past them; the shared-string indices they use."""
    grid: list[list[Any]] = []
    wanted: set[int] = set()
    row_number = column = 0
    with archive.open(sheet) as xml:
        for event, el in iterparse(xml, events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if tag == "row":
                    row_number = int(el.get("r") or row_number + 1)
                    if row_number > nrows:
                        break
                    column = 0
                continue
            if tag == "c":
                ref = el.get("r")
                column = _column_number(ref.rstrip("0123456789").encode()) if ref else column + 1
                if column > _XLSX_MAX_COLUMNS:
                    raise ValueError(f"column {column} is past Excel's last column")
                value = _xlsx_value(el)
                style = int(el.get("s") or 0)
                if isinstance(value, float) and style in dates.styles:
                    value = _serial_date(value, dates.epoch)
                elif style in dates.padded:
                    value = _padded(value, dates.padded[style])
                if isinstance(value, _SharedString):
                    wanted.add(value.index)
                if value is not None:
                    while len(grid) < row_number:
                        grid.append([])
                    row = grid[row_number - 1]
                    row.extend([None] * (column - len(row)))
                    row[column - 1] = value
            elif tag == "row":
                el.clear()
    return grid, wanted


def _xlsx_value(cell: Any) -> Any:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter() if _local(t.tag) == "t")
    v = next((el.text for el in cell if _local(el.tag) == "v"), None)
    if v is None:
        # A formula saved without its result (see `_uncomputed_formulas`).
        formula = next((el for el in cell if _local(el.tag) == "f"), None)
        if formula is None or kind == "str":
            return None
        return "=" + (formula.text or "")
    if kind == "s":
        return _SharedString(int(v))
    if kind == "b":
        return v == "1"
    if kind == "n":
        return float(v)
    if kind == "e":
        return None  # an error (#VALUE!, #REF!): empty, as calamine reads it for the worker
    return v  # str (a formula's text), d (an ISO date)


def _xlsx_strings(archive: zipfile.ZipFile, path: str, last: int, iterparse: Any) -> list[str]:
    """The shared strings 0..last (their runs joined; phonetic hints left out)."""
    out: list[str] = []
    with archive.open(path) as xml:
        for _event, el in iterparse(xml, events=("end",)):
            if _local(el.tag) != "si":
                continue
            parts = []
            for child in el:
                name = _local(child.tag)
                if name == "t":
                    parts.append(child.text or "")
                elif name == "r":
                    parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
            out.append("".join(parts))
            el.clear()
            if len(out) > last:
                break
    return out


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _plausibility(text: str) -> float:
    """How much a decoded text looks like the covenants' languages (0 to 1 a letter)."""
    import unicodedata

    score = 0.0
    count = 0
    for c in text:
        if ord(c) < 128:
            continue
        count += 1
        if c in _WESTERN:
            score += 1.0
        elif c in _OTHER_LETTERS:
            score += 0.5
        elif unicodedata.category(c) in ("Cc", "Co", "Cn") or c == "\ufffd":
            score -= 3.0
    return score / count if count else 1.0


def _script(c: str) -> str:
    """The script of a letter by its Unicode name: LATIN, CYRILLIC, GREEK, ARABIC,
    CJK (Chinese characters, kana and Hangul together)..."""
    import unicodedata

    word = unicodedata.name(c, "?").split(" ", 1)[0]
    return "CJK" if word in ("CJK", "HIRAGANA", "KATAKANA", "HANGUL") else word


def _written_in_another_script(text: str) -> bool:
    """Whether a decoded text reads as words of one non-Latin script (Chinese,
    Cyrillic, Greek, Arabic, Thai...): its non-ASCII letters nearly all of that
    script, in words of their own. A West-European file read in a wrong code page
    gives such letters one by one inside Latin words ("São" in cp1251 is an S, a
    Cyrillic letter and an o), which fails."""
    import unicodedata

    scripts: dict[str, int] = {}
    ascii_in_words = letters_in_words = other = 0
    for word in re.findall(r"\w+", text[:50_000]):
        if word.isascii():
            continue
        for c in word:
            if c.isascii():
                ascii_in_words += c.isalpha()
                letters_in_words += c.isalpha()
            elif unicodedata.category(c)[0] in "LM":
                letters_in_words += 1
                if unicodedata.category(c)[0] == "L":
                    name = _script(c)
                    scripts[name] = scripts.get(name, 0) + 1
            else:
                other += 1
    if not scripts:
        return False
    main, count = max(scripts.items(), key=lambda kv: kv[1])
    return (
        main != "LATIN"
        and count >= 0.9 * (sum(scripts.values()) + other)
        and ascii_in_words <= 0.2 * letters_in_words
    )


_EAST_ASIAN = ["gb18030", "big5", "cp932", "cp949"]


def _mixed_words(text: str) -> int:
    """Words that mix Korean Hangul with Chinese characters, or hold half-width
    katakana: what a Chinese list read in a Korean or Japanese code page gives
    ("밤鹵륩陋낍" for 广州服装厂), and real names almost never are."""
    count = 0
    for word in re.findall(r"\w+", text[:50_000]):
        if word.isascii():
            continue
        hangul = any("\uac00" <= c <= "\ud7a3" for c in word)
        han = any("\u4e00" <= c <= "\u9fff" for c in word)
        halfwidth = any("\uff61" <= c <= "\uff9f" for c in word)
        count += (hangul and han) or halfwidth
    return count


def _east_asian_reading(sample: bytes, encoding: str) -> str:
    """charset-normalizer's East-Asian code page, unless its reading mixes scripts
    within words and another East-Asian code page reads the file cleanly (a short
    Chinese list in GBK was taken for Korean: every name gibberish, every row
    accepted)."""
    try:
        mixed = _mixed_words(sample.decode(encoding))
    except (UnicodeDecodeError, LookupError):
        return encoding
    if not mixed:
        return encoding
    for other in _EAST_ASIAN:
        try:
            text = sample.decode(other)
        except UnicodeDecodeError:
            continue
        if _mixed_words(text) == 0 and _written_in_another_script(text):
            return other
    return encoding


def _no_utf8_letters(text: str) -> bool:
    """Text read as UTF-8 in which every byte beyond ASCII was unreadable."""
    return "\ufffd" in text and _UTF8_LETTER.search(text) is None


_UTF8_LETTER = re.compile("[^\x00-\x7f\ufffd]")


def _guess_encoding(data: bytes) -> str:
    """The encoding of a CSV that is not UTF-8. charset-normalizer's guess competes
    with the usual Windows code pages: a short Latin-1 file ("Têxteis São João
    Lda, Guimarães") was read as Central European before; now the reading with the
    likelier letters wins, ties going to the West-European code page. A text that
    charset-normalizer reads as words of another script (a Chinese list in GBK, a
    Bulgarian one in cp1251) keeps that reading: the competition above scores
    West-European letters only and turned those lists into Latin gibberish."""
    from charset_normalizer import from_bytes

    sample = data[:200_000]
    best = from_bytes(sample).best()
    if best is not None and _written_in_another_script(str(best)):
        return _east_asian_reading(sample, best.encoding)
    candidates = list(FALLBACK_ENCODINGS)
    if best is not None and best.encoding not in candidates:
        candidates.append(best.encoding)
    scored = []
    for rank, encoding in enumerate(candidates):
        try:
            text = sample.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_plausibility(text), -rank, encoding))
    if not scored:
        return best.encoding if best is not None else "cp1252"
    return max(scored)[2]


def _unlimited_csv() -> Any:
    """csv's C reader as a module instance of our own, with no field limit.

    csv's field limit (128 KiB: a longer cell made the upload a 500) is one setting
    of the whole process: raising it for an upload changes it for every thread and
    every other reader. The file is already bounded (`max_bytes`), so a long cell is
    harmless here and becomes a row error in `validate_rows` that names row, column,
    size and limit. `_csv` is an isolated extension module (PEP 489, PEP 687): a
    second instance of it keeps its own limit, and the `csv` module everyone else
    uses keeps its own. None when this Python cannot make one (the reader then
    keeps csv's limit and a longer cell refuses the file with a message)."""
    import _csv

    try:
        spec = importlib.util.find_spec("_csv")
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception:  # any failure: keep csv's own reader and limit
        return None
    if module is _csv:
        return None
    module.field_size_limit(sys.maxsize)
    return module


_UNLIMITED_CSV = _unlimited_csv()


DELIMITERS = ",;\t|"


def _pick_delimiter(sample: str) -> str:
    """The delimiter that splits most of the sample's first lines into one number of
    columns (more than one), most columns first; csv.Sniffer's guess breaks ties. The Sniffer alone
    can be fooled by one cell: a name written `";` made it pick ';' for a plain
    comma file, whose header then read as one column."""
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = max(DELIMITERS, key=sample.count)
    lines = sample.splitlines()[:50]
    if len(sample) == 20_000 and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut its last line in two

    def fit(delimiter: str) -> tuple[int, float, int, bool]:
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delimiter) if r]
        except csv.Error:
            return (0, 0.0, 0, False)
        if not widths:
            return (0, 0.0, 0, delimiter == sniffed)
        # The commonest width, not the first line's: a title may stand above the header.
        width = max(set(widths), key=lambda w: (widths.count(w), w))
        same = widths.count(width) / len(widths)
        return (int(width > 1), same, width, delimiter == sniffed)

    return max(DELIMITERS, key=fit)


_LINE_BREAK = re.compile(r"\r\n?|\n")


def _head_of(text: str) -> str:
    """The head the upload request reads: whole lines up to HEAD_BYTES characters, and
    at least the first dozen lines however long they are (a header followed by one
    20 MB line read as "a header but no data rows"). Cut in text, not in bytes: a
    UTF-16 file cut after the first byte of a line break gained a row of one
    unreadable character."""
    if len(text) <= HEAD_BYTES:
        return text
    ends = [m.end() for m in _LINE_BREAK.finditer(text, 0, HEAD_BYTES)]
    if len(ends) >= 12:
        return text[: ends[-1]]
    for m in _LINE_BREAK.finditer(text, ends[-1] if ends else 0):
        ends.append(m.end())
        if len(ends) >= 12:
            break
    return text[: ends[-1]] if len(ends) >= 12 else text


def _utf16_without_mark(data: bytes) -> str:
    """ "utf-16-le" or "utf-16-be" for UTF-16 text without a byte-order mark whose
    letters are mostly Latin (every other byte 0), else ""."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 4:
        return ""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.3 and odd < pairs * 0.05:
        return "utf-16-be"
    return ""


def _decode(data: bytes, chosen: str | None = None) -> tuple[str, str]:
    """The text of a CSV and its encoding: `chosen` (the member's, on the preview),
    the byte-order mark's, UTF-8, or the likeliest guess."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if chosen:  # the member picked the encoding on the preview
        # A UTF-8 byte-order mark in front of another encoding's text is no content:
        # read as cp1252 it was "ï»¿" glued to the first column's name.
        text, encoding = data[3 if bom else 0 :].decode(chosen, errors="replace"), chosen
        if text.startswith("\ufeff"):
            text = text[1:]
    elif bom:
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
        if _no_utf8_letters(text):
            # The mark says UTF-8 but no letter beyond ASCII is (a Windows export given
            # the mark by another program): every é was unreadable and its row
            # rejected. The text's own encoding is guessed, as without the mark. A
            # UTF-8 file with a few damaged bytes keeps its reading.
            encoding = _guess_encoding(data[3:])
            text = data[3:].decode(encoding, errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    elif utf16 := _utf16_without_mark(data):
        # UTF-16 of Latin letters reads as valid UTF-8 with a NUL after every
        # letter: refused as "binary" before it came here.
        text, encoding = data.decode(utf16, errors="replace"), utf16
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            encoding = _guess_encoding(data)
            text = data.decode(encoding, errors="replace")
    return text, encoding


def _read_csv(
    filename: str,
    data: bytes,
    chosen: str | None = None,
    head: int | None = None,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> tuple[list[list[str]], str, str, set[int]]:
    text, encoding = _decode(data, chosen)
    if _looks_binary(text, replaced_count=not chosen and encoding != "utf-8"):
        raise _binary(filename)
    nul = text.count("\x00")
    if nul > max(2, len(text) // 100):
        raise _binary(filename)
    if nul:
        # A stray byte 0 in a text file (a damaged export, a copy from another
        # program): the cell it is in gets the row error of an unreadable character,
        # not the whole file a "not a text file" (and never the database: PostgreSQL
        # refuses NUL in text).
        text = text.replace("\x00", "\ufffd")
    if head is not None:
        text = _head_of(text)
    delimiter = _pick_delimiter(text[:20_000])
    module = _UNLIMITED_CSV or csv
    try:
        rows, stray = _csv_records(filename, text, delimiter, module, max_rows, progress)
    except module.Error as e:
        if _UNLIMITED_CSV is None and "field limit" in str(e):
            raise ParseError(
                _(
                    "%(file)s: a cell on line %(line)s is longer than %(max)s characters. "
                    "Shorten it and upload the file again."
                ),
                {
                    "file": filename,
                    "line": getattr(e, "line", 0),
                    "max": csv.field_size_limit(),
                },
            ) from e
        log.info("%s: csv could not be read: %s", filename, e)
        raise ParseError(
            _(
                "%(file)s: the CSV cannot be read from line %(line)s on. Open it in your "
                "spreadsheet program and save it again as CSV (UTF-8), or upload it as .xlsx."
            ),
            {"file": filename, "line": getattr(e, "line", 0)},
        ) from e
    if head is not None:
        rows = rows[:head]
    return rows, encoding, delimiter, stray


# A stray quote is read as written this many times in one file; more is refused (each
# costs a reading of the rest of the file).
MAX_STRAY_QUOTES = 20


def _strict_record(module: Any, lines: list[str], delimiter: str) -> bool:
    """Whether these lines read as one well-formed record."""
    try:
        return (
            len(list(module.reader(lines, dialect=csv.excel, delimiter=delimiter, strict=True)))
            == 1
        )
    except module.Error:
        return False


def _csv_records(
    filename: str,
    text: str,
    delimiter: str,
    module: Any,
    max_rows: int = MAX_ROWS,
    progress: Progress | None = None,
) -> tuple[list[list[str]], set[int]]:
    """The CSV's records, and the numbers (1-based) of those read again because a
    quote opened in them never closes.

    An opening quote without its closing one (`"A Ltd,Road 1,BD` or `B,"Road 2,VN`)
    makes a CSV reader take what follows, the next rows up to another quote or
    the end of the file, as one cell: rows lost without a word. A record over
    several lines that a strict reading refuses (a quote that never closes, or
    closes followed by more text: what a stray quote meeting the next stray quote
    gives; a real cell over two lines closes before a delimiter) is read again
    from its own first line with the quote as an ordinary character, and the
    reading goes on from the next line.

    More than `max_rows` rows (beside a header and ten title rows) are refused as
    soon as they are read: a million-row file took 15 s and 780 MB before."""
    lines = io.StringIO(text, newline="").readlines()
    rows: list[list[str]] = []
    stray: set[int] = set()
    start = 0
    filled, most = 0, max_rows + 11
    while start < len(lines):
        reader = module.reader(lines[start:], dialect=csv.excel, delimiter=delimiter)
        begin, restart = 0, None
        try:
            for record in reader:
                rows.append(record)
                filled += any(record)
                if progress is not None and len(rows) % PROGRESS_ROWS == 0:
                    progress(len(rows))
                if filled > most:
                    raise ParseError(
                        _(
                            "%(file)s: the list has more than %(max)s rows; the limit is "
                            "%(max)s. Split it into several lists."
                        ),
                        {"file": filename, "max": max_rows},
                    )
                first, begin = start + begin, reader.line_num
                if begin - (first - start) > 1 and not _strict_record(
                    module, lines[first : start + begin], delimiter
                ):
                    restart = first
                    break
        except module.Error as e:
            e.line = start + reader.line_num
            raise
        if restart is None:
            break
        if len(stray) >= MAX_STRAY_QUOTES:
            raise ParseError(
                _(
                    '%(file)s: quotes (") open a cell and never close on more than %(n)s '
                    "rows (row %(row)s and on), so the rows after them cannot be told apart. "
                    "Save the file again from your spreadsheet program as CSV, or remove "
                    "the quote characters."
                ),
                {"file": filename, "n": MAX_STRAY_QUOTES, "row": min(stray)},
            )
        rows[-1] = next(
            module.reader(
                [lines[restart]], dialect=csv.excel, delimiter=delimiter, quoting=csv.QUOTE_NONE
            ),
            [],
        )
        stray.add(len(rows))
        start = restart + 1
    return rows, stray


# What the upload request reads (read_table(head=HEAD_ROWS)): the checks that refuse
# a file, the header for the column mapping, a few rows. The worker reads it all.
HEAD_ROWS = 50
HEAD_BYTES = 256 * 1024


def read_table(
    filename: str,
    data: bytes,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
    encoding: str | None = None,
    head: int | None = None,
    progress: Progress | None = None,
) -> Table:
    """Read a supplier-list file into a Table. Raises ParseError with a readable message.
    `encoding` overrides the detected one (CSV only). With `head`, only the first
    rows are read (`Table.complete` says whether that was the whole file): the
    upload request needs no more, and the worker parses the file once. `progress` is
    called with the number of rows read so far, every PROGRESS_ROWS rows of a CSV
    (a workbook is read by calamine in one call, which reports nothing)."""
    chosen = encoding
    # The header may follow up to ten title rows.
    head_rows = head + 10 if head is not None else None
    if len(data) > max_bytes:
        raise ParseError(
            _(
                "%(file)s: the file is %(mb)s MB; the limit is %(max)s MB. Split the list "
                "or remove unused columns."
            ),
            {
                "file": filename,
                "mb": round(len(data) / 1024 / 1024, 1),
                "max": max_bytes // (1024 * 1024),
            },
        )
    if not data.strip():
        raise ParseError(_("%(file)s: the file is empty."), {"file": filename})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    kind = _sniff_kind(data)
    encoding = delimiter = sheet = ""
    others: list[tuple[str, _SheetHead]] = []
    sheets = 0  # in the workbook
    stray: set[int] = set()
    numbers: set[tuple[int, int]] = set()
    if kind == "ole":
        _check_ole(filename, data)
        kind = "xls"
        cells, sheet, others, sheets = _read_workbook(
            filename, data, "Excel 97-2003 (.xls)", head_rows, numbers
        )
    elif kind == "zip":
        kind = _check_zip(filename, data)
        cells, sheet, others, sheets = _read_workbook(
            filename, data, kind, head_rows, numbers if kind == "ods" else None
        )
    elif kind == "text" or kind == _HTML:
        if extension in {"xlsx", "xls", "xlsm"} and (
            kind == _HTML or b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]
        ):
            # What "Export to Excel" of many web systems and ERPs gives: a web page or
            # an Excel 2003 XML file, named .xls.
            raise ParseError(
                _(
                    "%(file)s: this is a web page or an Excel 2003 XML file with an Excel "
                    "name, as some systems export tables. Open it in your spreadsheet program "
                    "and save it as .xlsx (or CSV), then upload that file."
                ),
                {"file": filename},
            )
        if kind == _HTML:
            raise _not_a_list(filename, kind)
        sample, sample_encoding = _decode(data[:BINARY_SAMPLE])
        if _looks_binary(sample, replaced_count=sample_encoding != "utf-8"):
            raise _binary(filename)
        if extension in {"xlsx", "xls", "ods", "xlsm"}:
            raise ParseError(
                _(
                    "%(file)s: the name says .%(extension)s but the file is plain text, not "
                    "a workbook. If it is a CSV export, name it .csv and upload it again."
                ),
                {"file": filename, "extension": extension},
            )
        kind = "csv"
        cells, encoding, delimiter, stray = _read_csv(
            filename, data, chosen, head_rows, max_rows, progress
        )
    else:
        raise _not_a_list(filename, kind)
    cut = kind == "csv" and head is not None and len(data) > HEAD_BYTES
    complete = head_rows is None or (not cut and len(cells) < head_rows)
    if not complete:
        max_rows = MAX_ROWS  # counted by the worker, on the whole file
    table = _to_table(filename, kind, cells, max_rows, encoding, delimiter, sheet, others)
    table.complete = complete
    # Named on the preview ("Read from the worksheet ..."), which only tells
    # something when the workbook has other sheets.
    table.sheet = sheet if sheets > 1 else ""
    table.other_lists = [name for name, h in others if h.strength and h.rows_below]
    table.stray_quotes = stray
    table.number_cells = numbers
    if sheet and head is None:  # the worker's reading: the rows get their warnings
        table.hidden_rows, table.hidden_sheets = hidden_parts(data, kind, sheet)
        if kind == "xlsx":
            table.hidden_columns = _xlsx_hidden_columns(data, sheet)
    return table


_XLSX_HIDDEN_ROW = re.compile(
    rb"<(?:\w+:)?row\s(?=[^>]*\bhidden=\"(?:1|true)\")[^>]*?\br=\"([0-9]{1,9})\""
)


def hidden_parts(data: bytes, kind: str, sheet: str) -> tuple[set[int], list[str]]:
    """The rows of `sheet` hidden in the workbook (their numbers), and the names of
    the workbook's hidden sheets.

    Decided (2026-12-07): a hidden sheet is never read as the list (`_pick_sheet`
    chooses among the visible ones; the preview names the hidden ones). A hidden
    row is read and disclosed like every other row, with a warning on it: a row
    is hidden by hand or by a filter left on, and either way the member sees it
    in the file only by looking for it; leaving it out would lose a production
    location without a word, taking it in silently would disclose what the member
    may have meant to set aside. The warning asks: delete it from the file if it
    is not part of the list. .xls rows are not told apart (calamine does not say
    which are hidden, and its BIFF records are not read here)."""
    hidden_sheets: list[str] = []
    try:
        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        hidden_sheets = [
            m.name for m in book.sheets_metadata if m.visible != SheetVisibleEnum.Visible
        ]
    except BaseException as e:  # read before: a failure here leaves the names out
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        log.info("the sheets of the workbook could not be listed: %s", e)
    rows: set[int] = set()
    try:
        if kind == "xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                sheets, _strings = _xlsx_sheets(archive)
                path = next(p for name, p, _visible in sheets if name == sheet)
                rows = {int(r) for r in _XLSX_HIDDEN_ROW.findall(archive.read(path))}
        elif kind == "ods":
            rows = _ods_hidden_rows(data, sheet)
    except (StopIteration, KeyError, ValueError, *_ZIP_ERRORS):
        log.info("the hidden rows of %s could not be read", sheet)
    return rows, hidden_sheets


_XLSX_COL = re.compile(rb"<(?:\w+:)?col\s[^>]*>")
_XLSX_ATTRIBUTE = re.compile(rb"\b(min|max|hidden)=\"([^\"]{0,12})\"")


def _xlsx_hidden_columns(data: bytes, sheet: str) -> set[int]:
    """The columns (0-based) of an .xlsx sheet hidden in the workbook
    (``<col min max hidden="1">``). Unreadable: none (the cells are read anyway)."""
    hidden: set[int] = set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sheets, _strings = _xlsx_sheets(archive)
            path = next(p for name, p, _visible in sheets if name == sheet)
            xml = archive.read(path)
    except (StopIteration, KeyError, ValueError, *_ZIP_ERRORS):
        log.info("the hidden columns of %s could not be read", sheet)
        return hidden
    end = xml.find(b"sheetData")  # the <cols> come before the cells
    for col in _XLSX_COL.finditer(xml, 0, end if end > 0 else len(xml)):
        attrs = {k: v for k, v in _XLSX_ATTRIBUTE.findall(col.group(0))}
        if attrs.get(b"hidden") not in (b"1", b"true"):
            continue
        try:
            first, last = int(attrs[b"min"]), int(attrs.get(b"max", attrs[b"min"]))
        except (KeyError, ValueError):
            continue
        hidden.update(range(first - 1, min(last, first + MAX_COLUMNS)))
    return hidden


def _ods_hidden_rows(data: bytes, sheet: str) -> set[int]:
    """The numbers of the rows of an .ods sheet whose visibility is "collapse"
    (hidden) or "filter" (filtered out)."""
    from xml.etree.ElementTree import ParseError as XMLParseError

    from defusedxml.ElementTree import iterparse

    table, row_tag = _ODS_TABLE + "table", _ODS_TABLE + "table-row"
    hidden: set[int] = set()
    inside, row = False, 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as xml:
            for event, el in iterparse(xml, events=("start", "end")):
                if el.tag == table:
                    if event == "start":
                        inside, row = el.get(_ODS_TABLE + "name") == sheet, 0
                    elif inside:
                        break
                    continue
                if event != "start" or el.tag != row_tag or not inside:
                    if event == "end" and el.tag == row_tag:
                        el.clear()
                    continue
                repeat = min(int(el.get(_ODS_TABLE + "number-rows-repeated", "1") or 1), MAX_ROWS)
                if el.get(_ODS_TABLE + "visibility", "visible") != "visible":
                    hidden.update(range(row + 1, row + repeat + 1))
                row += repeat
                if row > MAX_ROWS + 20:  # past what a list may hold: refused elsewhere
                    break
    except (XMLParseError, ValueError):
        return set()
    return hidden


def _quoted(names: list[str]) -> str:
    return ", ".join(f"“{n}”" for n in names)


def _no_rows(
    filename: str, header_row: int, sheet: str, others: list[tuple[str, _SheetHead]]
) -> ParseError:
    """A header and nothing below it. In a workbook, say which sheet was read and what
    the others hold: a list on another sheet whose columns were not recognised, or
    nothing at all (an empty template sent instead of the filled one)."""
    params: dict[str, str | int | float] = {"file": filename, "row": header_row}
    if not sheet:
        return ParseError(
            _(
                "%(file)s: the file has a header row (row %(row)s) but no data rows. A "
                "supplier list has a row of column names (name, address, country) and one "
                "row per production location below it."
            ),
            params,
        )
    params["sheet"] = sheet
    with_rows = [name for name, head in others if head.rows_below]
    if with_rows:
        params["others"] = _quoted(with_rows)
        return ParseError(
            _(
                "%(file)s: we read the sheet “%(sheet)s”, which has a header row (row "
                "%(row)s) but no data rows. Rows are on another sheet (%(others)s), but "
                "without column names we recognise: name its columns (name, address, "
                "country), or delete the sheet “%(sheet)s”, and upload the file again."
            ),
            params,
        )
    return ParseError(
        _(
            "%(file)s: the sheet “%(sheet)s” has a header row (row %(row)s) but no data "
            "rows, and no other sheet of the workbook holds rows. A supplier list has a "
            "row of column names (name, address, country) and one row per production "
            "location below it."
        ),
        params,
    )


def _to_table(
    filename: str,
    kind: str,
    cells: list[list[str]],
    max_rows: int,
    encoding: str,
    delimiter: str,
    sheet: str = "",
    others: list[tuple[str, _SheetHead]] | None = None,
) -> Table:
    others = others or []
    # A byte-order mark inside the text (files joined together) is never content.
    cells = [[normalise_text(c.replace("\ufeff", "")) if c else "" for c in row] for row in cells]
    non_empty = [(i, row) for i, row in enumerate(cells, start=1) if any(row)]
    if not non_empty:
        if sheet:
            raise ParseError(
                _(
                    "%(file)s: the workbook has no text in its visible sheets (%(sheets)s). "
                    "Is the list on a hidden sheet? Show it, or copy the list to the first "
                    "sheet, and upload the file again."
                ),
                {"file": filename, "sheets": _quoted([sheet, *(n for n, _h in others)])},
            )
        raise ParseError(_("%(file)s: the file has no text in it."), {"file": filename})
    position, strength = _find_header(non_empty)
    header_row = non_empty[position][0]
    header = _header_cells(non_empty, position) if strength else non_empty[position][1]
    # As wide as the filled cells reach: empty cells trailing every row (a CSV
    # saved from a sheet formatted far to the right) are no columns.
    filled = [(i, _filled_width(row)) for i, row in non_empty]
    widest_row, width = max(filled, key=lambda f: f[1])
    if width > MAX_COLUMNS:
        raise ParseError(
            _(
                "%(file)s: row %(row)s has %(columns)s columns; a supplier list has at most "
                "%(max)s. Check that the columns are separated as in the other rows, remove "
                "the columns that are not part of the list and upload it again."
            ),
            {"file": filename, "row": widest_row, "columns": width, "max": MAX_COLUMNS},
        )
    header = header[:width] + [""] * (width - len(header))
    header = [h or f"column {i + 1}" for i, h in enumerate(header)]
    rows = [(i, row[:width] + [""] * (width - len(row))) for i, row in non_empty if i > header_row]
    if not rows:
        raise _no_rows(filename, header_row, sheet, others)
    if len(rows) > max_rows:
        raise ParseError(
            _(
                "%(file)s: the list has %(n)s rows; the limit is %(max)s. Split it into several lists."
            ),
            {"file": filename, "n": len(rows), "max": max_rows},
        )
    return Table(filename, kind, header, header_row, rows, encoding, delimiter)


def _filled_width(row: list[str]) -> int:
    """The number of the row's last cell that holds something (0: none)."""
    for j in range(len(row) - 1, -1, -1):
        if row[j]:
            return j + 1
    return 0


def missing_required(mapping: dict[str, int]) -> list[str]:
    return [f for f in REQUIRED if f not in mapping]


_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_WHOLE = re.compile(r"^(\d+)(?:[.,]0+)?$")


def _int_value(text: str) -> int:
    """'1200', '1,200', '1.200', '1200.0' -> 1200. Anything else is not a head count."""
    text = text.replace(" ", "")
    if _THOUSANDS.match(text):
        return int(re.sub(r"[.,]", "", text))
    m = _WHOLE.match(text)
    if not m:
        raise ValueError(text)
    return int(m.group(1))


def _check_coordinates(
    values: dict[str, Any], result: RowResult, header: list[str], mapping: dict[str, int]
) -> None:
    """Coordinates from lat + lng columns or one 'lat, lng' column, checked by
    `geo.check`; whatever is wrong with them is a warning, never a lost row."""
    lat_text, lng_text = values.pop("lat", "") or "", values.pop("lng", "") or ""
    pair = values.pop("coordinates", "") or ""
    column = ", ".join(header[mapping[f]] for f in ("lat", "lng") if f in mapping)
    if pair and not (lat_text or lng_text):
        column = header[mapping["coordinates"]]
        parts = geo.split_pair(pair)
        if parts is None:
            result.warnings.append(
                (column, f"'{pair[:40]}' is not 'latitude, longitude'; coordinates left out")
            )
            values["lat"] = values["lng"] = None
            return
        lat_text, lng_text = parts
    lat, lng, problems = geo.check(lat_text, lng_text, values.get("country_code"))
    values["lat"], values["lng"] = lat, lng
    # A number that is not one is told on its own column ("lat: 'north' is not a
    # latitude"), not on both; what concerns the pair, on both.
    own = {
        f"is not a {word} in": header[mapping[f]]
        for f, word in (("lat", "latitude"), ("lng", "longitude"))
        if f in mapping and not pair
    }
    for p in problems:
        result.warnings.append((next((c for w, c in own.items() if w in p), column), p))


def _too_long(text: str, limit: int) -> str:
    return f"{len(text):,} characters, at most {limit:,}"


def _bounded(text: str) -> str:
    """A cell as kept with the row: cut at MAX_CELL_CHARS (the stored original file
    keeps every character)."""
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + "…"


# Words a city or district column adds to the name ("Ningbo City", "Dong Nai
# Province"): left out when looking whether the address already holds the place.
_PLACE_WORDS = frozenset(
    ["city", "town", "district", "province", "county", "municipality", "stad", "stadt", "ville"]
)


# A place's name followed or preceded by one of these is a street named after it
# ("Mirpur Road" in Dhaka's Mirpur, "Via Roma" in Rome): it does not hold the place.
_STREET_AFTER = frozenset(
    ["road", "rd", "street", "st", "avenue", "ave", "lane", "highway", "hwy", "weg",
     "straat", "strasse", "str", "boulevard", "blvd", "cad", "caddesi", "sok", "sokak"]
)  # fmt: skip
_STREET_BEFORE = frozenset(
    ["via", "viale", "corso", "piazza", "rue", "route", "chemin", "avenue", "boulevard",
     "calle", "avenida", "av", "carretera", "camino", "rua", "estrada", "rodovia", "carrer",
     "jalan", "jl", "duong", "pho", "ul", "ulica", "strada"]
)  # fmt: skip
# Looking back for a street word passes over these ("Route de Caracol").
_PARTICLES = frozenset(["de", "del", "della", "di", "da", "do", "dos", "das", "la", "le", "el"])


def _place_key(text: str) -> str:
    words = _key(text).split()
    kept = [w for w in words if w not in _PLACE_WORDS]
    return " ".join(kept if any(w.isalpha() for w in kept) else words)


def _holds(text: str, part: str) -> bool:
    """Whether `part` is already written in `text`, any case, without the words
    "city", "province"... that one column adds and the other does not.

    A place name is compared whole with each comma-separated part of `text`
    (a postcode or number beside it left out: "Gazipur 1700" holds "Gazipur"):
    "Kabupaten Bogor" (the regency) does not hold "Bogor" (the city), nor "New
    Delhi" "Delhi". Only in a street line (a part with a number in it) is the
    place looked for as whole words ("Road 3 Mirpur Dhaka" holds "Dhaka"), and
    never as the name of a street ("Gazipur Road", "Via Roma" do not hold
    "Gazipur", "Roma"). A part with a digit (a postcode, "District 1") is
    looked for as whole words."""
    needle = _place_key(part)
    if not needle:
        return False
    if any(c.isdigit() for c in needle):
        return _holds_words(text, needle)
    for segment in text.split(","):
        words = _place_key(segment).split()
        name = [w for w in words if not any(c.isdigit() for c in w)]
        if " ".join(name) == needle:
            return True
        if len(name) < len(words) and _holds_words(segment, needle):
            return True
    return False


def _holds_words(text: str, needle: str) -> bool:
    """Whether the place key `needle` is in `text` as whole words, not naming a street."""
    haystack = f" {_place_key(text)} "
    start = haystack.find(f" {needle} ")
    while start >= 0:
        following = haystack[start + len(needle) + 2 :].split(" ", 1)[0]
        before = haystack[:start].split()
        while before and before[-1] in _PARTICLES:
            before.pop()
        preceding = before[-1] if before else ""
        if following not in _STREET_AFTER and preceding not in _STREET_BEFORE:
            return True
        start = haystack.find(f" {needle} ", start + 1)
    return False


def combine_address(
    street: str,
    house_number: str = "",
    line_2: str = "",
    postcode: str = "",
    city: str = "",
    *,
    building: str = "",
    line_3: str = "",
    district: str = "",
    region: str = "",
) -> str:
    """One address from a list's split address columns, in a stated order: the
    building, the street and house number, the second and third lines, the
    district, postcode and city, the state or province ("Rahman Tower, Road 3 12,
    Block B, Mirpur, 1216 Dhaka" ; "Keizersgracht 12, 2e etage, 1015 CX
    Amsterdam"), as the registry writes addresses. A part already written in
    the parts before it (an address column that ends with its city beside a
    city column, "Ningbo" beside "Ningbo City", the city on line 2 and in the
    city column) is not written twice."""
    written: list[str] = []

    def new(part: str) -> str:
        part = part.strip()
        return "" if not part or any(_holds(w, part) for w in written) else part

    for part in (building, " ".join(p for p in (street, house_number) if p), line_2, line_3):
        if part := new(part):
            written.append(part)
    if part := new(district):
        written.append(part)
    code = new(postcode)
    town = new(city)
    place = " ".join(p for p in (code, town) if p)
    if place:
        written.append(place)
    if part := new(region):
        written.append(part)
    return ", ".join(written)


_COORDINATE_FIELDS = ("lat", "lng", "coordinates")


def _lost_zeros(table: Table, number: int, col: int, text: str) -> str:
    """The warning for an identifier that an .ods or .xls sheet holds as a whole
    number: unlike an .xlsx, the file is not read for how the cell was shown, so a
    registry number written "01234567" may have arrived as 1234567. (A postcode
    that lost its zeros is told by its country: `postcodes.restore`.) '' when the
    cell held text."""
    if (number, col) not in table.number_cells or not text.isdigit():
        return ""
    return (
        f"'{text}' is stored as a number in the workbook, and this file type does not "
        "say how it was shown: if it was written with leading zeros (such as "
        f"0{text}), they are lost; format the column as text and upload again. "
        "Read as written"
    )


def validate_rows(
    table: Table, mapping: dict[str, int], progress: Progress | None = None
) -> list[RowResult]:
    """Check every row: required fields present, a known country, no formulas, no
    duplicates (the same facility twice in one list). What is wrong with an
    optional field (the number of workers, the coordinates) is a warning that
    leaves that field out, never a lost row. `progress` is called with the number
    of rows checked, every PROGRESS_ROWS rows."""
    results: list[RowResult] = []
    seen: dict[tuple[str, str, str], int] = {}
    header = table.header
    for checked, (number, cells) in enumerate(table.rows):
        if progress is not None and checked and checked % PROGRESS_ROWS == 0:
            progress(checked)
        raw = {header[i]: _bounded(cells[i]) for i in range(len(header))}
        result = RowResult(number, raw)
        values: dict[str, Any] = {}
        mapped = set(mapping.values())
        if mapping and all(cells[col] == header[col] for col in mapped if col < len(cells)):
            # The header again (two lists joined, or a header above every page).
            first = header[min(mapped)]
            result.errors.append((first, "this row repeats the header row; remove it"))
            results.append(result)
            continue
        if number in table.hidden_rows:
            column = header[mapping["name"]] if "name" in mapping else header[0]
            result.warnings.append(
                (
                    column,
                    "this row is hidden in the workbook; it is read and disclosed like the "
                    "others: delete it from the file if it is not part of the list",
                )
            )
        for col in sorted(mapped & table.hidden_columns):
            if col < len(cells) and cells[col].strip():
                result.warnings.append(
                    (
                        header[col],
                        "this column is hidden in the workbook; it is read and disclosed "
                        "like the others: delete it from the file if it is not part of the list",
                    )
                )
        if number in table.stray_quotes:
            column = next((header[i] for i, c in enumerate(cells) if '"' in c), header[0])
            result.warnings.append(
                (
                    column,
                    'a quote (") opens a cell here and never closes; the row was read '
                    "as written, quote included",
                )
            )
        too_long: set[str] = set()
        for i, text in enumerate(cells):
            if i not in mapped and len(text) > MAX_CELL_CHARS:
                result.errors.append((header[i], _too_long(text, MAX_CELL_CHARS)))
        for f, col in mapping.items():
            text = cells[col] if col < len(cells) else ""
            column = header[col]
            limit = FIELD_MAX_CHARS.get(f, MAX_CELL_CHARS)
            if len(text) > limit:
                result.errors.append((column, _too_long(text, limit)))
                too_long.add(f)
                continue
            if looks_like_formula(text) and f in _COORDINATE_FIELDS:
                # Optional: the coordinates are left out, the location is kept.
                result.warnings.append(
                    (column, f"contains a formula ({text[:40]}); coordinates left out")
                )
                values["coordinate_formula"] = True
                continue
            if looks_like_formula(text):
                result.errors.append(
                    (column, f"contains a formula ({text[:40]}); enter the value itself")
                )
                too_long.add(f)  # not "missing" as well
                continue
            if "\ufffd" in text:
                result.errors.append(
                    (column, "contains characters that could not be read; save the file as UTF-8")
                )
            values[f] = text
        code = normalise_country(values["country"]) if values.get("country") else None
        if values.get("postcode") and "postcode" in mapping:
            values["postcode"], warning = postcodes.restore(values["postcode"], code)
            if warning:
                result.warnings.append((header[mapping["postcode"]], warning))
        if values.get("identifier") and "identifier" in mapping:
            lost = _lost_zeros(table, number, mapping["identifier"], values["identifier"])
            if lost:
                result.warnings.append((header[mapping["identifier"]], lost))
        if "address" in mapping and "address" not in too_long:
            parts = {part: values.pop(part, "") for part in ADDRESS_PARTS}
            values["address"] = combine_address(
                values.get("address", ""),
                parts["house_number"],
                parts["address_2"],
                parts["postcode"],
                parts["city"],
                building=parts["building"],
                line_3=parts["address_3"],
                district=parts["district"],
                region=parts["region"],
            )
            limit = FIELD_MAX_CHARS["address"]
            if len(values["address"]) > limit:
                result.errors.append(
                    (header[mapping["address"]], _too_long(values["address"], limit))
                )
                too_long.add("address")
        for f in REQUIRED:
            if f in mapping and f not in too_long and not values.get(f):
                result.errors.append((header[mapping[f]], f"the {FIELD_LABELS[f]} is missing"))
        if values.get("country"):
            if code is None:
                result.errors.append(
                    (
                        header[mapping["country"]],
                        f"unknown country '{values['country']}'; use the country's name or its ISO code (e.g. BD, VN)",
                    )
                )
            values["country_code"] = code
        if values.get("workers"):
            try:
                values["workers"] = _int_value(values["workers"])
            except ValueError:
                # A warning, not an error: the head count is optional, and a
                # location must not drop out of the disclosure over "ca. 80".
                result.warnings.append(
                    (
                        header[mapping["workers"]],
                        f"'{values['workers'][:40]}' is not a number of workers; "
                        "the number of workers is left out",
                    )
                )
                values["workers"] = None
        else:
            values["workers"] = None
        if values.pop("coordinate_formula", False):
            for f in _COORDINATE_FIELDS:
                values.pop(f, None)
            values["lat"] = values["lng"] = None
        else:
            _check_coordinates(values, result, header, mapping)
        result.values = values
        results.append(result)
    # Duplicates: the same normalised name, address and country as an earlier row.
    # Normalised column-wise (polars), which is what makes 100,000 rows cheap.
    clean = [r for r in results if not r.errors]
    if clean:
        import polars as pl

        names = normalise_names(pl.Series([r.values["name"] for r in clean], dtype=pl.String))
        addresses = normalise_addresses(
            pl.Series([r.values["address"] for r in clean], dtype=pl.String)
        )
        for r, n, a in zip(clean, names.to_list(), addresses.to_list(), strict=True):
            key = (n, a, r.values["country_code"])
            if key in seen:
                r.duplicate_of = seen[key]
            else:
                seen[key] = r.number
    return results
