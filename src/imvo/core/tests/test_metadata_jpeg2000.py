"""JPEG 2000 pictures in PDFs (JPXDecode) lose their metadata too: XMP and EXIF
UUID boxes, XML boxes (a GeoJP2 position), and codestream comments, in the JP2
file or in a bare codestream, in the main header or a tile-part's; the picture
itself is kept bit for bit."""

from __future__ import annotations

import contextlib
import io
import zlib

import pikepdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pikepdf import Array, Dictionary, Name
from PIL import Image

from imvo.core import metadata
from imvo.core.errors import DomainError

AUTHOR = b"Rahima Khatun"
PLACE = b"52.3731"  # latitude, as XMP, EXIF and GML each write it
XMP_UUID = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
EXIF_UUID = b"JpgTiffExif->JP2"
SECRETS = (AUTHOR, PLACE, b"GPSLatitude", b"Nikon", XMP_UUID, EXIF_UUID, b"gml:pos")


def _picture() -> Image.Image:
    img = Image.new("RGB", (64, 48), (20, 120, 20))
    for x in range(64):
        img.putpixel((x, x % 48), (200, 0, x * 3))
    return img


def _box(kind: bytes, content: bytes) -> bytes:
    return (len(content) + 8).to_bytes(4, "big") + kind + content


def _boxes(data: bytes) -> list[bytes]:
    out, i = [], 0
    while i < len(data):
        out.append(data[i + 4 : i + 8])
        i += int.from_bytes(data[i : i + 4], "big") or len(data) - i
    return out


def _exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x013B] = "Nikon", AUTHOR.decode()  # Make, Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 22.0, 23.16), "E", (4.0, 53.0, 0.0)
    return exif.tobytes()[6:] if exif.tobytes().startswith(b"Exif") else exif.tobytes()


def jp2_with_gps(**save: object) -> bytes:
    """A real JP2 (OpenJPEG through Pillow) carrying an author and a GPS position
    as a GeoJP2-style XML box, an XMP UUID box, an EXIF UUID box (one of them inside
    the header box, where no reader looks) and a codestream comment."""
    buf = io.BytesIO()
    _picture().save(buf, format="JPEG2000", comment=f"by {AUTHOR.decode()}", **save)
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'exif:GPSLatitude="' + PLACE + b'N" dc:creator="' + AUTHOR + b'"/></rdf:RDF></x:xmpmeta>'
    )
    gml = b"<gml:Point><gml:pos>" + PLACE + b" 4.8901</gml:pos></gml:Point>"
    data = buf.getvalue()
    out = bytearray()
    i = 0
    while i < len(data):
        length = int.from_bytes(data[i : i + 4], "big") or len(data) - i
        kind, content = data[i + 4 : i + 8], data[i + 8 : i + length]
        if kind == b"jp2h":
            content += _box(b"xml ", gml)
        if kind == b"jp2c":
            out += _box(b"uuid", XMP_UUID + xmp) + _box(b"uuid", EXIF_UUID + _exif())
            out += _box(b"xml ", gml)
        out += _box(kind, content)
        i += length
    return bytes(out)


def _pdf_showing(picture: bytes, filters: object) -> bytes:
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, picture)
    image.Type, image.Subtype = Name.XObject, Name.Image
    image.Width, image.Height, image.Filter = 64, 48, filters
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, 128, 96]),
        Resources=Dictionary(XObject=Dictionary(Im0=image)),
        Contents=pikepdf.Stream(pdf, b"q 128 0 0 96 0 0 cm /Im0 Do Q"),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _shown(cleaned: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        image = pdf.pages[0].Resources.XObject.Im0
        assert image.Filter == Name.JPXDecode
        return bytes(image.read_raw_bytes())


def _pixels(picture: bytes) -> bytes:
    with Image.open(io.BytesIO(picture)) as img:
        return img.convert("RGB").tobytes()


def test_the_jp2_made_here_carries_what_a_camera_or_gis_would() -> None:
    data = jp2_with_gps()
    assert all(s in data for s in SECRETS)
    assert _pixels(data) == _picture().tobytes()  # a real JP2 a reader opens


@pytest.mark.parametrize(
    ("filters", "encode"),
    [
        (Name.JPXDecode, lambda b: b),
        (Array([Name.JPXDecode]), lambda b: b),
        (Array([Name.FlateDecode, Name.JPXDecode]), zlib.compress),
    ],
    ids=["name", "array-of-one", "flate-then-jpx"],
)
def test_a_jpeg_2000_in_a_pdf_loses_its_gps_author_and_comments(filters, encode) -> None:
    original = jp2_with_gps()
    cleaned = metadata.clean_pdf(_pdf_showing(encode(original), filters))
    shown = _shown(cleaned)
    for secret in (*SECRETS, b"by Rahima"):
        assert secret not in cleaned and secret not in shown, secret
    assert _boxes(shown) == [b"jP  ", b"ftyp", b"jp2h", b"jp2c"]
    assert _pixels(shown) == _pixels(original)


def test_a_bare_codestream_with_comments_in_every_tile_part_loses_them() -> None:
    buf = io.BytesIO()
    _picture().save(buf, format="JPEG2000", no_jp2=True, tile_size=(32, 32),
                    comment="by Rahima Khatun")  # fmt: skip
    hostile = _comment_in_every_tile_part(buf.getvalue(), b"GPS 52.3731 N")
    assert _pixels(hostile) == _picture().tobytes()
    shown = _shown(metadata.clean_pdf(_pdf_showing(hostile, Name.JPXDecode)))
    assert b"Rahima" not in shown and PLACE not in shown
    assert _pixels(shown) == _picture().tobytes()


def _comment_in_every_tile_part(codestream: bytes, text: bytes) -> bytes:
    com = b"\xff\x64" + (len(text) + 4).to_bytes(2, "big") + b"\x00\x01" + text
    out, i, parts = bytearray(), 0, 0
    while (i := codestream.find(b"\xff\x90\x00\x0a", i)) != -1:
        psot = int.from_bytes(codestream[i + 6 : i + 10], "big")
        part = bytearray(codestream[i : i + 12] + com + codestream[i + 12 : i + psot])
        part[6:10] = len(part).to_bytes(4, "big")
        out += part
        i, parts = i + psot, parts + 1
    first = codestream.find(b"\xff\x90\x00\x0a")
    assert parts == 4
    return codestream[:first] + bytes(out) + b"\xff\xd9"


@given(st.binary(max_size=300))
def test_any_bytes_give_a_picture_back_or_a_value_error(data: bytes) -> None:
    for candidate in (data, b"\xff\x4f" + data, jp2_header() + data):
        with contextlib.suppress(ValueError):
            assert isinstance(metadata.strip_jp2_metadata(candidate), bytes)


def jp2_header() -> bytes:
    return _box(b"jP  ", b"\r\n\x87\n") + _box(b"ftyp", b"jp2 \x00\x00\x00\x00jp2 ")


def test_superboxes_nested_to_hurt_are_refused_not_followed() -> None:
    nested = b""
    for _ in range(5000):
        nested = _box(b"jp2h", nested)
    with pytest.raises(ValueError, match="too deep"):
        metadata.strip_jp2_metadata(jp2_header() + nested)


def test_a_jpeg_2000_that_does_not_parse_is_refused() -> None:
    cut_short = jp2_with_gps()[:-40]  # the last box says it is longer than what is left
    not_a_codestream = b"\xff\x4f\xff\x51\x00"
    for broken in (cut_short, not_a_codestream):
        with pytest.raises(DomainError, match="damaged"):
            metadata.clean_pdf(_pdf_showing(broken, Name.JPXDecode))
