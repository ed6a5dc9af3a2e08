"""Evidence files of a complaint: the original kept as received, encrypted, for
the committee only; and a *safe copy*, the only form in which a file can leave
the committee (to the company complained about, or anyone else).

- Photos are decoded and re-encoded: EXIF, GPS, the phone model and every other
  metadata block are gone.
- PDFs are drawn page by page and rebuilt as a new PDF of those pictures
  (`pdf_flatten`, the Dangerzone approach): no script, action, link, form,
  attachment, metadata or embedded photo of the original survives.
- Anything else gets no safe copy: it is refused for sharing with the reason,
  while the original stays with the committee (nothing the complainant sent is
  lost) and the complaint stands.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.complaints import crypto
from imvo.complaints.models import Complaint, Evidence, Message, to_the_hour
from imvo.core.errors import DomainError
from imvo.core.uploads import JPEG, JPG, PDF, PNG, CheckedUpload, UploadPolicy, sniff

logger = logging.getLogger("imvo.complaints")

MAX_EVIDENCE_BYTES = int(getattr(settings, "IMVO_COMPLAINTS_MAX_EVIDENCE_BYTES", 5 * 1024 * 1024))
MAX_EVIDENCE_FILES = 5
MAX_IMAGE_PIXELS = 40_000_000
MAX_PDF_PAGES = 50  # pdf_flatten.MAX_PAGES


def evidence_dir() -> Path:
    from imvo.core import storage

    # Registered in apps.py as private: the folder (and the complaints folder
    # above it, when this makes it) is the owner's alone, 0700, whatever the
    # umask; set again on every call, so an install from before (0755) is closed
    # at its next use.
    return storage.private_folder(storage.location("complaint-evidence").root)


class EvidenceRefusedError(DomainError):
    """No safe copy can be made of a file; ``code`` says why (see `refusal_message`)."""

    def __init__(self, code: str, name: str, size: int = 0) -> None:
        self.code = code
        super().__init__(refusal_message(code, name, size))


def refusal_message(code: str, name: str, size: int = 0) -> str:
    """Why a file got no safe copy, in the active language (the complainant's
    when they upload it, the reader's on the case page)."""
    if code == "empty":
        return _("%(name)s is empty.") % {"name": name}
    if code == "too_large":
        return _("%(name)s is too large (%(size)d MB); the limit is %(limit)d MB per file.") % {
            "name": name,
            "size": round(size / 1048576),
            "limit": MAX_EVIDENCE_BYTES // 1048576,
        }
    if code == "not_supported":
        return _(
            "%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document, whatever its name says."
        ) % {"name": name}
    if code == "too_many_pixels":
        return _("%(name)s has too many pixels.") % {"name": name}
    if code == "damaged_image":
        return _("%(name)s is a damaged image file.") % {"name": name}
    if code == "legacy":
        return _(
            "%(name)s was stored before safe copies were made; ask the complainant for a photo of it."
        ) % {"name": name}
    if code == "pages":
        return _(
            "%(name)s has more than %(n)d pages. Send the pages that matter, or photos of them."
        ) % {"name": name, "n": MAX_PDF_PAGES}
    return _(
        "%(name)s could not be read as a PDF document, or it is locked with a password. Send a photo of it instead."
    ) % {"name": name}


def safe_pdf(name: str, data: bytes) -> bytes:
    """The PDF flattened to pictures of its pages and rebuilt (`pdf_flatten`)."""
    from imvo.complaints.pdf_flatten import FlattenError, flatten_pdf

    try:
        return flatten_pdf(data)
    except FlattenError as e:
        logger.info("evidence PDF refused: %s", e.reason)
        raise EvidenceRefusedError(e.reason, name) from None


def safe_image(name: str, data: bytes, kind: str) -> tuple[bytes, str]:
    """The photo decoded and re-encoded: only its pixels are kept."""
    from imvo.core.metadata import UnreadableImageError, reencode_image

    try:
        clean = reencode_image(data, kind, max_pixels=MAX_IMAGE_PIXELS)
    except UnreadableImageError as e:
        logger.info("evidence image refused: %s", e.reason)
        raise EvidenceRefusedError(e.reason, name) from None
    return clean, "image/png" if kind == "image/png" else "image/jpeg"


def make_safe_copy(name: str, data: bytes) -> tuple[bytes, str]:
    """The safe copy of one evidence file and its type, or EvidenceRefusedError."""
    if len(data) == 0:
        raise EvidenceRefusedError("empty", name)
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceRefusedError("too_large", name, len(data))
    kind = sniff(data)
    if kind is None:
        raise EvidenceRefusedError("not_supported", name)
    if kind == "application/pdf":
        return safe_pdf(name, data), kind
    return safe_image(name, data, kind)


@dataclass
class Stored:
    evidence: Evidence | None
    refusal: str  # in the active language; "" when the safe copy was made


def _write(data: bytes) -> str:
    """Store one file, encrypted, as a new file readable by the owner only (0600,
    whatever the umask: `storage.write_private`). Encrypted is not enough on its
    own: a 0644 file in a 0755 folder let every account on the machine copy the
    evidence, to be opened by whoever later reads the key."""
    from imvo.core import storage

    stored = uuid.uuid4().hex + ".bin"
    storage.write_private(evidence_dir() / stored, crypto.encrypt_bytes(data))
    return stored


def store_evidence(
    complaint: Complaint, name: str, data: bytes, from_complainant: bool = True
) -> Stored:
    """Keep the original (encrypted, committee only), then make the safe copy.

    Call it after the complaint or message it belongs to is saved: a file that
    cannot be made safe is refused with the reason, the rest stands. Empty and
    oversized files are not kept at all.
    """
    name = Path(name).name[:200] or "file"
    if len(data) == 0 or len(data) > MAX_EVIDENCE_BYTES:
        code = "empty" if not data else "too_large"
        return Stored(None, refusal_message(code, name, len(data)))
    with transaction.atomic():
        ev = Evidence.objects.create(
            complaint=complaint,
            stored_name=_write(data),
            original_type=sniff(data) or "",
            original_size=len(data),
            content_type="",
            size=0,
            name_enc=crypto.encrypt(name),
            from_complainant=from_complainant,
            created=to_the_hour() if from_complainant else timezone.now(),
        )
    try:
        safe, kind = make_safe_copy(name, data)
    except EvidenceRefusedError as e:
        ev.refusal = e.code
        ev.save(update_fields=["refusal"])
        return Stored(ev, str(e))
    except Exception as e:  # whatever breaks, the complaint and the original stand
        logger.warning("evidence safe copy failed: %s", type(e).__name__)
        ev.refusal = "unreadable"
        ev.save(update_fields=["refusal"])
        return Stored(ev, refusal_message("unreadable", name))
    ev.safe_name, ev.content_type, ev.size = _write(safe), kind, len(safe)
    ev.save(update_fields=["safe_name", "content_type", "size"])
    return Stored(ev, "")


# Files a respondent company attaches to its answer: the limits of complaint
# evidence (5 files of 5 MB, photos and PDFs), through the platform's upload
# policy, which refuses a file whose content is not what its name says and takes
# out what photos and PDFs tell about who made them and where. (The company's
# files are not flattened as the complainant's are: they go to the committee
# only, never on to the complainant or another party; see services/answers.py.)
ANSWER_FILES = UploadPolicy(
    types=(PDF, PNG, JPG, JPEG), max_bytes=MAX_EVIDENCE_BYTES, strip_metadata=True
)


def store_answer_file(
    complaint: Complaint, upload: CheckedUpload, company_id: int, message: Message | None
) -> Evidence:
    """Keep one checked and cleaned answer file, encrypted in the evidence folder.
    It is stored once: the cleaned file is both its original and its safe copy."""
    stored = _write(upload.data)
    return Evidence.objects.create(
        complaint=complaint,
        stored_name=stored,
        safe_name=stored,
        original_type=upload.content_type,
        original_size=len(upload.data),
        content_type=upload.content_type,
        size=len(upload.data),
        name_enc=crypto.encrypt(upload.name),
        from_complainant=False,
        company_id=company_id,
        message=message,
    )


def check_file_count(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(
            _("You can add at most %(n)d files at a time.") % {"n": MAX_EVIDENCE_FILES}
        )
    return files


def read_evidence(ev: Evidence, original: bool = False) -> bytes:
    """The safe copy of one evidence file, decrypted (or, for the committee,
    the original as received)."""
    name = ev.stored_name if original else ev.safe_name
    if not name:
        raise FileNotFoundError("no safe copy")
    return crypto.decrypt_bytes((evidence_dir() / name).read_bytes())
