"""PDFs that others will read keep nothing of who made them, wherever a PDF
writer put it (docs/security.md, T59): a photo's EXIF behind a filter written as
an array or a chain, a comment's author, an attached file."""

from __future__ import annotations

import io
import zlib
from typing import Any

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name
from PIL import Image

from imvo.core import metadata
from imvo.core.errors import DomainError
from imvo.core.testing import pdf_showing_photo

PHONE = b"SecretPhoneMaker"
AUTHOR = "Rahima Khatun"


def _photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = PHONE.decode(), "Model-X"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 5.0, 10.0), "E", (4.0, 53.0, 0.0)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 20)).save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def _saved(pdf: Any) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _shown_photo(cleaned: bytes) -> Image.Image:
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        image = pdf.pages[0].Resources.XObject.Im0
        assert image.Filter == Name.DCTDecode
        img = Image.open(io.BytesIO(image.read_raw_bytes()))
        img.load()
        return img


@pytest.mark.parametrize(
    ("filters", "encode"),
    [
        (Array([Name.DCTDecode]), lambda b: b),
        (Array([Name.FlateDecode, Name.DCTDecode]), zlib.compress),
    ],
    ids=["array-of-one", "flate-then-dct"],
)
def test_a_photo_behind_an_array_or_a_chain_of_filters_loses_its_gps(filters, encode):
    pdf = pdf_showing_photo(_photo(), 64, 48)
    image = pdf.pages[0].Resources.XObject.Im0
    image.write(encode(_photo()))
    image.Filter = filters  # as written, not as pikepdf would shorten it
    data = _saved(pdf)
    with pikepdf.open(io.BytesIO(data)) as before:  # the phone is in the file as uploaded
        raw = before.pages[0].Resources.XObject.Im0.read_raw_bytes()
        assert PHONE in (raw if len(filters) == 1 else zlib.decompress(raw))
    cleaned = metadata.clean_pdf(data)
    assert PHONE not in cleaned
    img = _shown_photo(cleaned)
    assert img.size == (64, 48) and not img.getexif() and not img.getexif().get_ifd(0x8825)


def test_a_jpeg_filter_before_another_is_refused():
    pdf = pdf_showing_photo(_photo(), 64, 48)
    pdf.pages[0].Resources.XObject.Im0.Filter = Array([Name.DCTDecode, Name.FlateDecode])
    with pytest.raises(DomainError, match="damaged"):
        metadata.clean_pdf(_saved(pdf))


def test_a_comment_keeps_its_text_but_not_its_author_or_time_and_a_form_field_its_name():
    pdf = pdf_showing_photo(_photo(), 64, 48)
    note = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Text,
            Rect=Array([0, 0, 10, 10]),
            T=pikepdf.String(AUTHOR),
            M=pikepdf.String("D:20261203140512+06'00'"),
            Contents=pikepdf.String("the fire exit is locked"),
        )
    )
    field = pdf.make_indirect(
        Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=Array([20, 20, 40, 30]),
            FT=Name.Tx,
            T=pikepdf.String("factory_name"),
        )
    )
    pdf.pages[0].Annots = Array([note, field])
    cleaned = metadata.clean_pdf(_saved(pdf))
    assert AUTHOR.encode() not in cleaned and b"20261203140512" not in cleaned
    with pikepdf.open(io.BytesIO(cleaned)) as out:
        kept = list(out.pages[0].Annots)
        assert str(kept[0].Contents) == "the fire exit is locked" and "/T" not in kept[0]
        assert str(kept[1].T) == "factory_name"


def test_files_attached_to_the_pdf_are_dropped():
    pdf = pdf_showing_photo(_photo(), 64, 48)
    pdf.attachments["cv.txt"] = pikepdf.AttachedFileSpec(
        pdf, f"written by {AUTHOR}".encode(), filename="cv.txt"
    )
    clip = pikepdf.AttachedFileSpec(pdf, _photo(), filename="factory.jpg")
    pdf.pages[0].Annots = Array(
        [
            pdf.make_indirect(
                Dictionary(
                    Type=Name.Annot,
                    Subtype=Name.FileAttachment,
                    Rect=Array([0, 0, 10, 10]),
                    FS=clip.obj,
                )
            )
        ]
    )
    data = _saved(pdf)
    with pikepdf.open(io.BytesIO(data)) as before:
        assert list(before.attachments) == ["cv.txt"]
    cleaned = metadata.clean_pdf(data)
    with pikepdf.open(io.BytesIO(cleaned)) as out:
        assert list(out.attachments) == [] and list(out.pages[0].Annots) == []
        assert not any(
            o.get("/Type") == Name.EmbeddedFile
            for o in out.objects
            if isinstance(o, pikepdf.Stream)
        )
    assert PHONE not in cleaned
