"""Evidence files: checked by content, cleaned of what identifies the sender, stored encrypted."""

import pytest

from imvo.complaints import evidence
from imvo.complaints.models import Complaint
from imvo.complaints.services import workflow
from imvo.complaints.tests.helpers import file, jpeg_with_exif
from imvo.core.errors import DomainError


def test_evidence_is_sniffed_stripped_and_encrypted(world):
    photo = jpeg_with_exif()
    assert b"SecretPhoneMaker" in photo
    c = file(world, files=[("photo.pdf", photo)]).complaint
    ev = c.evidence.get()
    assert ev.content_type == "image/jpeg"  # by content, not by name
    raw = (evidence.evidence_dir() / ev.stored_name).read_bytes()
    assert not raw.startswith(b"\xff\xd8") and b"SecretPhoneMaker" not in raw
    _ev, data = workflow.evidence_for(world.committee_x, c, "committee", ev.pk)
    assert b"SecretPhoneMaker" not in data and b"GPS-Tracker-App" not in data
    assert ev.original_name == "photo.pdf"


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("photo.jpg", b"<script>alert(1)</script>", "not a photo"),
        ("big.jpg", b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024), "too large"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 10, "damaged"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_evidence_refused_with_reason_and_nothing_saved(world, name, data, why):
    with pytest.raises(DomainError, match=why) as e:
        file(world, files=[(name, data)])
    assert name in str(e.value)
    assert Complaint.objects.count() == 0


def _pdf_with_maker_details() -> bytes:
    """A real PDF, made by WeasyPrint, with author and title in its document
    information, and XMP metadata naming the author added with pikepdf."""
    import io

    import pikepdf
    from weasyprint import HTML

    html = (
        "<html><head><title>Loonstrook Amina Begum</title>"
        '<meta name="author" content="Amina Begum"></head>'
        "<body><p>Wage slip March: 4,200 taka withheld.</p></body></html>"
    )
    pdf_bytes = HTML(string=html).write_pdf()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        with pdf.open_metadata() as meta:
            meta["dc:creator"] = ["Amina Begum"]
            meta["xmp:CreatorTool"] = "Phone of Amina Begum"
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_pdf_evidence_loses_its_maker_details_and_keeps_its_text(world, tmp_path):
    import io
    import subprocess

    import pikepdf

    original = _pdf_with_maker_details()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo["/Author"]) == "Amina Begum"
        assert "/Metadata" in pdf.Root
    c = file(world, files=[("slip.pdf", original)]).complaint
    ev = c.evidence.get()
    assert ev.content_type == "application/pdf"
    _ev, data = workflow.evidence_for(world.committee_x, c, "committee", ev.pk)
    assert b"Amina" not in data and b"WeasyPrint" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Info" not in pdf.trailer
        assert not any(
            isinstance(o, pikepdf.Dictionary | pikepdf.Stream) and "/Metadata" in o
            for o in pdf.objects
        )
    path = tmp_path / "clean.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "4,200 taka withheld" in text


def test_unreadable_or_locked_pdf_is_refused_with_reason(world):
    import io

    import pikepdf

    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(_pdf_with_maker_details())) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    for name, data in (
        ("locked.pdf", locked.getvalue()),
        ("broken.pdf", b"%PDF-1.7\n" + b"not really a pdf " * 20),
    ):
        with pytest.raises(DomainError, match="could not be read as a PDF") as e:
            file(world, files=[(name, data)])
        assert name in str(e.value)
    assert Complaint.objects.count() == 0
