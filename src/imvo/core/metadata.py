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
from typing import Any

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


# Markup annotations name who wrote them (/T) and when (/M, /CreationDate); a
# form field's /T is its name, not a person: widgets keep it.
_ANNOTATION_PERSONAL = ("/T", "/M", "/CreationDate")


def _photo_without_exif(stream: Any) -> None:
    """Strip EXIF/XMP/comment segments from an image stream drawn by a JPEG
    (DCTDecode), whether its filter is the name alone, an array of one, or a
    chain ending in DCTDecode (`[/FlateDecode /DCTDecode]`): the chain is
    decoded up to the JPEG and written back as a bare DCT stream. A chain with
    DCTDecode anywhere but last cannot be a picture: the PDF is refused."""
    import pikepdf

    filters = stream.get("/Filter")
    names = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
    if pikepdf.Name.DCTDecode not in names:
        return
    if names[-1] != pikepdf.Name.DCTDecode:
        raise pikepdf.PdfError("DCTDecode before another filter")
    if len(names) == 1:
        jpeg = stream.read_raw_bytes()
    else:
        parms = stream.get("/DecodeParms")
        stream.Filter = pikepdf.Array(names[:-1])
        if isinstance(parms, pikepdf.Array):
            stream.DecodeParms = pikepdf.Array(list(parms)[:-1])
        jpeg = stream.read_bytes()  # the filters before the JPEG (Flate, ASCII85...)
    stripped = strip_jpeg_segments(jpeg)
    if "/DecodeParms" in stream:
        del stream["/DecodeParms"]
    stream.write(stripped, filter=pikepdf.Name.DCTDecode)


def clean_pdf(data: bytes) -> bytes:
    """The PDF without document information, XMP metadata, EXIF in its photos,
    the names and times of its comments' authors, embedded files or page
    thumbnails.

    Found by the hostile review (docs/security.md, T59): a photo whose filter
    was written as an array (`/Filter [/DCTDecode]`, as some PDF writers do) or
    a chain (`[/FlateDecode /DCTDecode]`) kept its EXIF and GPS position; a
    comment (sticky note, highlight) kept its author's name; a file attached to
    the PDF (a photo with its GPS, an Office file naming its author) was
    published as it came."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            root = pdf.Root
            for key in ("/AF", "/Collection"):
                if key in root:
                    del root[key]
            if "/Names" in root and "/EmbeddedFiles" in root.Names:
                del root.Names["/EmbeddedFiles"]
            for page in pdf.pages:
                for key in ("/Thumb", "/AF"):
                    if key in page.obj:
                        del page.obj[key]
                if "/Annots" in page.obj:
                    kept = [
                        a
                        for a in page.obj.Annots
                        if isinstance(a, pikepdf.Dictionary)
                        and a.get("/Subtype") != pikepdf.Name.FileAttachment
                    ]
                    page.obj.Annots = pikepdf.Array(kept)
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                    continue
                for key in ("/Metadata", "/PieceInfo", "/AF"):
                    if key in obj:
                        del obj[key]
                subtype = obj.get("/Subtype")
                if (
                    (obj.get("/Type") == pikepdf.Name.Annot or "/Rect" in obj)
                    and isinstance(subtype, pikepdf.Name)
                    and subtype != pikepdf.Name.Widget
                ):
                    for key in _ANNOTATION_PERSONAL:
                        if key in obj:
                            del obj[key]
                if isinstance(obj, pikepdf.Stream) and subtype == pikepdf.Name.Image:
                    _photo_without_exif(obj)
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
