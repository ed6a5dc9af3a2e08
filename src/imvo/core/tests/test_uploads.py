"""The one upload policy: type by content, size, a clear reason for every refusal."""

import pytest

from imvo.core.errors import DomainError
from imvo.core.uploads import DOCUMENTS, PDF, TXT, UploadPolicy, safe_name, sniff

POLICY = UploadPolicy(types=DOCUMENTS, max_bytes=1024)


def test_a_file_whose_content_matches_its_name_passes_with_a_safe_name():
    checked = POLICY.check("../../etc/report.PDF", b"%PDF-1.7 hello")
    assert (checked.name, checked.content_type) == ("report.PDF", "application/pdf")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("run.exe", b"MZ", "cannot be attached; allowed: csv, docx, jpeg, jpg, odt, pdf"),
        ("report.pdf", b"<html>not a pdf", "does not look like a .pdf file"),
        ("photo.png", b"%PDF-1.7", "does not look like a .png file"),
        ("notes.txt", b"\xff\xfe\x00bad", "not UTF-8 text"),
        ("notes.txt", b"a\x00b", "not a text file"),
        ("empty.pdf", b"", "is empty"),
        ("big.pdf", b"%PDF-" + b"0" * 1024, "at most 0 MB"),
    ],
)
def test_refusals_name_the_file_and_the_reason(name, data, reason):
    with pytest.raises(DomainError, match=reason) as e:
        POLICY.check(name, data)
    assert name in str(e.value)


def test_size_is_checked_before_reading():
    with pytest.raises(DomainError, match="at most"):
        UploadPolicy(types=(PDF, TXT), max_bytes=10 * 1024 * 1024).check_size("x.pdf", 11 << 20)


def test_sniff_reads_the_bytes_not_the_name():
    assert sniff(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"%PDF-1.4") == "application/pdf"
    assert sniff(b"<script>") is None


def test_safe_name_drops_folders():
    assert safe_name("C:\\Users\\amina\\slip.pdf") == "slip.pdf"
