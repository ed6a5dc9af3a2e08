"""Evidence files of a complaint: checked by their real type, stripped of what
could identify the sender (photo metadata, PDF document information), then
stored encrypted under a name of our own.
"""

from __future__ import annotations

import io
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from imvo.complaints import crypto
from imvo.complaints.models import Complaint, Evidence
from imvo.core.errors import DomainError
from imvo.core.uploads import sniff

logger = logging.getLogger("imvo.complaints")

MAX_EVIDENCE_BYTES = int(getattr(settings, "IMVO_COMPLAINTS_MAX_EVIDENCE_BYTES", 5 * 1024 * 1024))
MAX_EVIDENCE_FILES = 5
MAX_IMAGE_PIXELS = 40_000_000


def evidence_dir() -> Path:
    from imvo.core import storage

    d = storage.location("complaint-evidence").root  # registered in apps.py
    d.mkdir(parents=True, exist_ok=True)
    return d


def strip_pdf(name: str, data: bytes) -> bytes:
    """The PDF without what could identify its maker: the document information
    (author, creator program, title, dates), every XMP metadata stream (the
    document's and those of pages and images), embedded files, and the file
    identifiers, which a deterministic one replaces. The content is kept.

    Done with pikepdf (qpdf). A PDF that qpdf cannot read, or that is encrypted,
    is refused: it cannot be cleaned, and a photo of it can.
    """
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise ValueError("no pages")
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            names = pdf.Root.get("/Names")
            if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
                del names["/EmbeddedFiles"]
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and "/Metadata" in obj:
                    del obj["/Metadata"]
            if "/PieceInfo" in pdf.Root:
                del pdf.Root["/PieceInfo"]
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, fix_metadata_version=False)
            return out.getvalue()
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, RecursionError) as e:
        logger.info("evidence PDF refused: %s", type(e).__name__)
        raise DomainError(
            _(
                "%(name)s could not be read as a PDF document, or it is locked with a password. Send a photo of it instead."
            )
            % {"name": name}
        ) from None


def clean_evidence(name: str, data: bytes) -> tuple[bytes, str]:
    """Check one evidence file and strip what could identify the sender.

    Photos are decoded and re-encoded, which drops EXIF/GPS and other
    metadata; PDFs are rewritten without their document information, XMP
    metadata and file identifiers (strip_pdf). Anything else is refused with
    the reason.
    """
    if len(data) == 0:
        raise DomainError(_("%(name)s is empty.") % {"name": name})
    if len(data) > MAX_EVIDENCE_BYTES:
        raise DomainError(
            _("%(name)s is too large (%(size)d MB); the limit is %(limit)d MB per file.")
            % {
                "name": name,
                "size": round(len(data) / 1048576),
                "limit": MAX_EVIDENCE_BYTES // 1048576,
            }
        )
    kind = sniff(data)
    if kind is None:
        raise DomainError(
            _(
                "%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document, whatever its name says."
            )
            % {"name": name}
        )
    if kind == "application/pdf":
        return strip_pdf(name, data), kind
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise DomainError(_("%(name)s has too many pixels.") % {"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img) or img  # type: ignore[assignment]
            out = io.BytesIO()
            if kind == "image/png":
                clean = img.convert("RGBA") if img.mode not in ("RGB", "RGBA", "L") else img
                clean.save(out, format="PNG")
                return out.getvalue(), "image/png"
            img.convert("RGB").save(out, format="JPEG", quality=85)
            return out.getvalue(), "image/jpeg"
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise DomainError(_("%(name)s is a damaged image file.") % {"name": name}) from e


def store_evidence(
    complaint: Complaint, name: str, data: bytes, from_complainant: bool = True
) -> Evidence:
    clean, kind = clean_evidence(name, data)
    stored = uuid.uuid4().hex + ".bin"
    (evidence_dir() / stored).write_bytes(crypto.encrypt_bytes(clean))
    return Evidence.objects.create(
        complaint=complaint,
        stored_name=stored,
        content_type=kind,
        size=len(clean),
        name_enc=crypto.encrypt(Path(name).name[:200]),
        from_complainant=from_complainant,
    )


def validate_files(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(
            _("You can add at most %(n)d files at a time.") % {"n": MAX_EVIDENCE_FILES}
        )
    for name, data in files:
        clean_evidence(name, data)  # fail before anything is saved
    return files


def read_evidence(ev: Evidence) -> bytes:
    """The stored (cleaned) bytes of one evidence file, decrypted."""
    return crypto.decrypt_bytes((evidence_dir() / ev.stored_name).read_bytes())
