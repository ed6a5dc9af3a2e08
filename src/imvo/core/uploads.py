"""One rule for files people upload: which types, judged by their content, and how large.

Every app that takes a file (learning-library attachments, due-diligence
evidence, complaint evidence) states an `UploadPolicy` and calls `check`; a
file whose bytes do not match what its name claims is refused with the reason,
before anything is stored. A policy with `strip_metadata` also takes out what
photos and PDFs say about who made them and where (`imvo.core.metadata`): for
files others will read. Complaint evidence has its own, stricter cleaning
(`imvo.complaints.evidence`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from imvo.core.errors import DomainError


@dataclass(frozen=True)
class FileType:
    """A type of file by its extension, its content type and the bytes it starts with
    (`magic`); `magic=None` means UTF-8 text without NUL bytes."""

    extension: str
    content_type: str
    magic: bytes | None

    def matches(self, data: bytes) -> bool:
        if self.magic is not None:
            return data.startswith(self.magic)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return "\x00" not in text


PDF = FileType("pdf", "application/pdf", b"%PDF-")
PNG = FileType("png", "image/png", b"\x89PNG\r\n\x1a\n")
JPG = FileType("jpg", "image/jpeg", b"\xff\xd8\xff")
JPEG = FileType("jpeg", "image/jpeg", b"\xff\xd8\xff")
DOCX = FileType(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"PK\x03\x04",
)
XLSX = FileType(
    "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"
)
ODT = FileType("odt", "application/vnd.oasis.opendocument.text", b"PK\x03\x04")
TXT = FileType("txt", "text/plain", None)
CSV = FileType("csv", "text/csv", None)

DOCUMENTS = (PDF, PNG, JPG, JPEG, DOCX, XLSX, ODT, TXT, CSV)


def sniff(data: bytes) -> str | None:
    """The real type of a photo or PDF from its first bytes (name and browser's claim ignored)."""
    if data.startswith(JPG.magic or b"\x00"):
        return "image/jpeg"
    if data.startswith(PNG.magic or b"\x00"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(PDF.magic or b"\x00"):
        return "application/pdf"
    return None


def safe_name(name: str) -> str:
    """The file's own name without any folder, safe to store and to offer for download."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return (get_valid_filename(base) or "file")[:200]


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class UploadPolicy:
    """Which file types (by extension, confirmed by content) and how many bytes;
    `strip_metadata`: `check` returns photos and PDFs without their metadata."""

    types: tuple[FileType, ...]
    max_bytes: int
    strip_metadata: bool = False

    def extensions(self) -> list[str]:
        return sorted({t.extension for t in self.types})

    def type_for(self, name: str) -> FileType | None:
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return next((t for t in self.types if t.extension == ext), None)

    def check_size(self, name: str, size: int) -> None:
        """Refuse an empty or too large file (before reading it, when the size is known)."""
        if size == 0:
            raise DomainError(_("%(name)s is empty.") % {"name": name})
        if size > self.max_bytes:
            raise DomainError(
                _("%(name)s is %(size).1f MB; attachments may be at most %(max)d MB.")
                % {"name": name, "size": size / 1024 / 1024, "max": self.max_bytes // 1024 // 1024}
            )

    def check(self, name: str, data: bytes) -> CheckedUpload:
        """The file if its type is allowed, its content matches its name, and its size fits;
        else a DomainError that names the file and says why."""
        clean = safe_name(name)
        kind = self.type_for(clean)
        if kind is None:
            raise DomainError(
                _("%(name)s: files of this type cannot be attached; allowed: %(types)s.")
                % {"name": name, "types": ", ".join(self.extensions())}
            )
        self.check_size(name, len(data))
        if kind.magic is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise DomainError(_("%(name)s is not UTF-8 text.") % {"name": name}) from None
            if "\x00" in text:
                raise DomainError(_("%(name)s is not a text file.") % {"name": name})
        elif not kind.matches(data):
            raise DomainError(
                _(
                    "%(name)s does not look like a .%(ext)s file; its contents do not match its name."
                )
                % {"name": name, "ext": kind.extension}
            )
        if self.strip_metadata:
            from imvo.core import metadata

            try:
                data = metadata.clean(kind.content_type, data)
            except DomainError as e:
                raise DomainError(f"{name}: {e}") from None
        return CheckedUpload(clean, kind.content_type, data)

    def check_all(self, files: Iterable[tuple[str, bytes]]) -> list[CheckedUpload]:
        return [self.check(name, data) for name, data in files]
