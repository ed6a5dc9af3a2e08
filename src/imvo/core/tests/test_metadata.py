"""Metadata taken out of photos and PDFs that others will read (core.metadata)."""

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from imvo.core import metadata
from imvo.core.errors import DomainError


def _jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"
    exif.get_ifd(0x8825)[2] = (52.0, 5.0, 10.0)
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (1, 2, 3)).save(buf, format="JPEG", exif=exif, comment=b"by Rahima")
    return buf.getvalue()


def test_jpeg_segments_with_exif_and_comments_are_dropped_and_the_picture_stays():
    photo = _jpeg_with_exif()
    stripped = metadata.strip_jpeg_segments(photo)
    assert b"SecretPhoneMaker" not in stripped and b"by Rahima" not in stripped
    with Image.open(io.BytesIO(stripped)) as img:
        img.load()
        assert img.size == (32, 24) and not img.getexif()


@given(st.binary(max_size=300))
def test_any_bytes_give_bytes_back_and_never_an_error(data):
    out = metadata.strip_jpeg_segments(b"\xff\xd8" + data)
    assert isinstance(out, bytes) and len(out) <= len(data) + 2


def test_a_huge_or_damaged_picture_is_refused_with_a_reason():
    buf = io.BytesIO()
    Image.new("L", (8000, 6000)).save(buf, format="PNG")
    with pytest.raises(DomainError, match="million pixels"):
        metadata.clean("image/png", buf.getvalue())
    with pytest.raises(DomainError, match="damaged"):
        metadata.clean("image/jpeg", b"\xff\xd8\xff\xe0garbage")
