"""Take out of a photo or PDF what it says about who made it, with what and where.

A phone photo carries EXIF: the GPS position it was taken at, the phone's make,
model and serial number, the time; a PDF carries its author, the program that
made it and XMP metadata, and the photos inside it carry their own EXIF. Files
that others will read (the public learning library) go through `clean` first.

- Photos (JPEG, PNG) are decoded and re-encoded from their pixels alone.
- PDFs keep their text and pages; the document information, every XMP block
  and the EXIF/XMP/comment segments of every embedded JPEG are removed.

Complaint evidence goes further (`imvo.complaints.evidence`: PDFs flattened to
page pictures in a sandboxed child), because there the visible content itself
may be hostile; it re-encodes photos with `reencode_image` too.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from imvo.core.errors import DomainError

MAX_IMAGE_PIXELS = 40_000_000


class UnreadableImageError(Exception):
    """The image cannot be re-encoded; `reason` is "too_many_pixels" or "damaged_image"."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def reencode_image(data: bytes, kind: str, max_pixels: int = MAX_IMAGE_PIXELS) -> bytes:
    """The photo decoded and re-encoded (PNG stays PNG, anything else becomes JPEG):
    only its pixels are kept, turned upright as its EXIF said."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > max_pixels:
                raise UnreadableImageError("too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img) or img  # type: ignore[assignment]
            out = io.BytesIO()
            png = kind == "image/png"
            mode = ("RGBA" if img.mode not in ("RGB", "RGBA", "L") else img.mode) if png else "RGB"
            # A new image of the pixels alone: Pillow writes some of an opened image's
            # `info` back when saving (a JPEG's comment, a PNG's ICC profile, whose
            # text can name the person or the device that took the photo).
            converted = img.convert(mode)
            clean = Image.frombytes(mode, converted.size, converted.tobytes())
            clean.save(out, format="PNG" if png else "JPEG", **({} if png else {"quality": 85}))
            return out.getvalue()
    except UnreadableImageError:
        raise
    except Exception:  # Pillow raises SyntaxError, OSError, ValueError... on bad files
        raise UnreadableImageError("damaged_image") from None


def strip_jpeg_segments(data: bytes) -> bytes:
    """A JPEG stream without its APP1..APP15 (EXIF, GPS, XMP, maker notes) and
    comment segments; APP0 (JFIF) and everything that draws the picture are kept.
    Bytes that are not a well-formed JPEG header are returned as they are."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(data[:2])
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return data
        marker = data[i + 1]
        if marker == 0xDA:  # start of scan: the picture itself follows
            out += data[i:]
            return bytes(out)
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            return data
        if not (0xE1 <= marker <= 0xEF or marker == 0xFE):
            out += data[i : i + 2 + length]
        i += 2 + length
    return data


def clean_pdf(data: bytes) -> bytes:
    """The PDF without document information, XMP metadata or EXIF in its photos."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    continue
                for key in ("/Metadata", "/PieceInfo"):
                    if key in obj:
                        del obj[key]
                if (
                    isinstance(obj, pikepdf.Stream)
                    and obj.get("/Subtype") == pikepdf.Name.Image
                    and obj.get("/Filter") == pikepdf.Name.DCTDecode
                ):
                    raw = obj.read_raw_bytes()
                    stripped = strip_jpeg_segments(raw)
                    if stripped != raw:
                        obj.write(stripped, filter=pikepdf.Name.DCTDecode)
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True)
            return out.getvalue()
    except pikepdf.PasswordError:
        raise DomainError(_("The PDF is locked with a password; save it without one.")) from None
    except pikepdf.PdfError:
        raise DomainError(
            _("The PDF is damaged and cannot be read; save it again and upload the new file.")
        ) from None


def clean(content_type: str, data: bytes) -> bytes:
    """`data` without the metadata of its type; other types are returned as they are."""
    if content_type in ("image/jpeg", "image/png"):
        try:
            return reencode_image(data, content_type)
        except UnreadableImageError as e:
            if e.reason == "too_many_pixels":
                raise DomainError(
                    _("The picture has more than %(n)d million pixels; make it smaller.")
                    % {"n": MAX_IMAGE_PIXELS // 1_000_000}
                ) from None
            raise DomainError(_("The picture is damaged and cannot be read.")) from None
    if content_type == "application/pdf":
        return clean_pdf(data)
    return data
