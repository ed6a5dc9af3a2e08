"""Take out of a photo or PDF what it says about who made it, with what and where.

A phone photo carries EXIF: the GPS position it was taken at, the phone's make,
model and serial number, the time; a PDF carries its author, the program that
made it and XMP metadata, and the photos inside it carry their own EXIF. Files
that others will read (the public learning library) go through `clean` first.

- Photos (JPEG, PNG) are decoded and re-encoded from their pixels alone.
- PDFs keep their text and pages; the document information, every XMP block,
  the EXIF/XMP/comment segments of every embedded JPEG and the metadata boxes
  (XMP, EXIF, GeoJP2 position, XML) and comments of every JPEG 2000 are removed.

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


# JPEG 2000 (ISO 15444-1/-2): the boxes a reader needs to draw the picture. Every
# other box is dropped: XML boxes (XMP, GML with the GPS position of GeoJP2),
# UUID boxes (XMP, EXIF, GeoTIFF keys), UUID-info and IPR boxes, JPX labels and
# associations (which hold more XML), free space.
_JP2_SUPERBOXES = {b"jp2h", b"jpch", b"jplh", b"res ", b"cgrp"}
_JP2_DRAWN = _JP2_SUPERBOXES | {
    b"jP  ", b"ftyp", b"rreq", b"jp2c", b"ihdr", b"bpcc", b"colr", b"pclr", b"cmap",
    b"cdef", b"resc", b"resd", b"opct", b"creg",
}  # fmt: skip


def _jp2_boxes(data: bytes) -> list[tuple[bytes, bytes]]:
    """The boxes of `data` as (type, content); ValueError when they do not add up."""
    boxes, i = [], 0
    while i < len(data):
        if i + 8 > len(data):
            raise ValueError("truncated box header")
        length, kind, start = int.from_bytes(data[i : i + 4], "big"), data[i + 4 : i + 8], i + 8
        if length == 1:  # the length follows in 8 bytes
            length, start = int.from_bytes(data[i + 8 : i + 16], "big"), i + 16
        elif length == 0:  # the last box runs to the end
            length = len(data) - i
        if length < start - i or i + length > len(data):
            raise ValueError("box length out of bounds")
        boxes.append((kind, data[start : i + length]))
        i += length
    return boxes


def _jp2_box(kind: bytes, content: bytes) -> bytes:
    if len(content) + 8 < 2**32:
        return (len(content) + 8).to_bytes(4, "big") + kind + content
    return (1).to_bytes(4, "big") + kind + (len(content) + 16).to_bytes(8, "big") + content


def _jp2_kept(data: bytes, depth: int = 0) -> bytes:
    if depth > 3:  # the standard nests superboxes two deep; a deeper file is made to hurt
        raise ValueError("superboxes nested too deep")
    out = bytearray()
    for kind, content in _jp2_boxes(data):
        if kind in (b"ftbl", b"flst", b"dtbl"):
            # A codestream in fragments found by offset: dropping a box moves them.
            raise ValueError("fragmented codestream")
        if kind not in _JP2_DRAWN:
            continue
        if kind in _JP2_SUPERBOXES:
            content = _jp2_kept(content, depth + 1)
        elif kind == b"jp2c":
            content = strip_j2k_comments(content)
        out += _jp2_box(kind, content)
    return bytes(out)


SOC, SOT, SOD, COM, TLM = 0xFF4F, 0xFF90, 0xFF93, 0xFF64, 0xFF55  # codestream markers


def strip_j2k_comments(data: bytes) -> bytes:
    """A JPEG 2000 codestream without its comment (COM) marker segments, in the main
    header and in every tile-part header (a program's name, or any text an encoder
    was given). ValueError when it is not a well-formed codestream."""

    def marker(i: int) -> int:
        if i + 2 > len(data):
            raise ValueError("truncated codestream")
        return int.from_bytes(data[i : i + 2], "big")

    def segment_end(i: int) -> int:
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            raise ValueError("marker segment out of bounds")
        return i + 2 + length

    if marker(0) != SOC:
        raise ValueError("no SOC marker")
    main, i = bytearray(data[:2]), 2
    while (m := marker(i)) != SOT:
        end = segment_end(i)
        if m != COM:
            main += data[i:end]
        i = end
    tiles, shortened = bytearray(), False
    while i + 2 <= len(data) and marker(i) == SOT:
        start, header_end = i, segment_end(i)
        psot = int.from_bytes(data[i + 6 : i + 10], "big")
        part_end = start + psot if psot else len(data) - 2  # 0: runs to EOC
        if part_end > len(data) or header_end > part_end:
            raise ValueError("tile-part out of bounds")
        header, i = bytearray(data[start:header_end]), header_end
        while (m := marker(i)) != SOD:
            end = segment_end(i)
            if m != COM:
                header += data[i:end]
            i = end
        if i > part_end:
            raise ValueError("tile-part header past its tile-part")
        part = header + data[i:part_end]
        if len(part) != part_end - start:
            shortened = True
            if psot:
                part[6:10] = len(part).to_bytes(4, "big")
        tiles += part
        i = part_end
    head = bytes(main)
    if shortened:  # tile-part lengths changed: the optional index of them is dropped
        head = _without_segments(head, TLM)
    return head + bytes(tiles) + data[i:]  # EOC


def _without_segments(header: bytes, dropped: int) -> bytes:
    out, i = bytearray(header[:2]), 2
    while i < len(header):
        end = i + 2 + int.from_bytes(header[i + 2 : i + 4], "big")
        if int.from_bytes(header[i : i + 2], "big") != dropped:
            out += header[i:end]
        i = end
    return bytes(out)


def strip_jp2_metadata(data: bytes) -> bytes:
    """A JPEG 2000 picture (a JP2/JPX file or a bare codestream, as a PDF's JPXDecode
    stream holds either) with only what draws it: no XMP, EXIF, GeoJP2 position or
    comment. ValueError when it is not well-formed."""
    if data.startswith(b"\xff\x4f"):
        return strip_j2k_comments(data)
    return _jp2_kept(data)


# Markup annotations name who wrote them (/T) and when (/M, /CreationDate); a
# form field's /T is its name, not a person: widgets keep it.
_ANNOTATION_PERSONAL = ("/T", "/M", "/CreationDate")


def _picture_without_metadata(stream: Any) -> None:
    """Strip the metadata from an image stream drawn by a JPEG (DCTDecode: its
    EXIF/XMP/comment segments) or a JPEG 2000 (JPXDecode: its metadata boxes and
    comments), whether its filter is the name alone, an array of one, or a chain
    ending in it (`[/FlateDecode /DCTDecode]`): the chain is decoded up to the
    picture and written back as a bare stream of its codec. A chain with the codec
    anywhere but last cannot be a picture, and a JPEG 2000 that does not parse
    cannot be cleaned: the PDF is refused."""
    import pikepdf

    strippers = {pikepdf.Name.DCTDecode: strip_jpeg_segments, pikepdf.Name.JPXDecode: _jpx}
    filters = stream.get("/Filter")
    names = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
    codecs = [n for n in names if n in strippers]
    if not codecs:
        return
    codec = names[-1]
    if codecs != [codec]:
        raise pikepdf.PdfError("a picture codec before another filter")
    if len(names) == 1:
        picture = stream.read_raw_bytes()
    else:
        parms = stream.get("/DecodeParms")
        stream.Filter = pikepdf.Array(names[:-1])
        if isinstance(parms, pikepdf.Array):
            stream.DecodeParms = pikepdf.Array(list(parms)[:-1])
        picture = stream.read_bytes()  # the filters before the picture (Flate, ASCII85...)
    stripped = strippers[codec](picture)
    if "/DecodeParms" in stream:
        del stream["/DecodeParms"]
    stream.write(stripped, filter=codec)


def _jpx(data: bytes) -> bytes:
    import pikepdf

    try:
        return strip_jp2_metadata(data)
    except ValueError as e:
        raise pikepdf.PdfError(f"JPEG 2000 picture: {e}") from None


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
                    _picture_without_metadata(obj)
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
