"""The complainant sees the files they sent on the follow page and downloads them
with their receipt code: their own, as safe copies; never another case's, never
the company's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from imvo.complaints.models import AuditEntry
from imvo.complaints.services import answers, following
from imvo.complaints.services.access import CaseNotFoundError
from imvo.complaints.tests.helpers import admit, file, jpeg_with_exif
from imvo.core.testing import one_page_pdf

BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"broken" * 10


def filed_with_files(world, **kw):
    return file(
        world,
        files=[("gate photo.jpg", jpeg_with_exif()), ("broken.png", BROKEN_PNG)],
        **kw,
    )


def test_the_follow_view_lists_the_complainants_own_files(world):
    filed = filed_with_files(world)
    c = filed.complaint
    following.check_complainant_reply(c, "One more.", [("letter.pdf", one_page_pdf())])
    files = following.complainant_view(c)["files"]
    assert [f["name"] for f in files] == ["gate photo.jpg", "broken.png", "letter.pdf"]
    assert [f["id"] for f in files] == [1, 2, 3]  # numbers in the list, never database ids
    assert [f["downloadable"] for f in files] == [True, False, True]
    assert files[0]["size"] == len(jpeg_with_exif()) and files[1]["size"] == len(BROKEN_PNG)
    assert all(f["on"] == timezone.localtime(c.filed_at).date() for f in files)
    assert following.complainant_view(c)["evidence"] == 3


def test_the_complainant_gets_the_safe_copy_of_their_own_file_only(world):
    filed = filed_with_files(world)
    c = filed.complaint
    other = filed_with_files(world).complaint
    photo, _broken = c.evidence.order_by("pk")
    ev, data = following.complainant_file(c, 1)
    assert ev == photo and data.startswith(b"\xff\xd8\xff")
    assert b"SecretPhoneMaker" not in data  # the safe copy, never the original
    assert AuditEntry.objects.filter(action="own-file-read", actor="complainant").count() == 1
    with pytest.raises(CaseNotFoundError):
        following.complainant_file(c, 2)  # no safe copy: stays with the committee
    for beyond in (0, 3, other.evidence.first().pk, -1):
        with pytest.raises(CaseNotFoundError):
            following.complainant_file(c, beyond)
    # Another case's first file is that case's own number 1, reached only with its code.
    assert following.complainant_file(other, 1)[0] == other.evidence.order_by("pk").first()


def test_the_company_answer_files_are_not_the_complainants(world):
    filed = file(world, respondent=world.company_a)
    c = admit(world.committee_x, filed.complaint)
    [f] = answers.check_company_answer(world.member_a, c, "", [("a.pdf", one_page_pdf())])
    assert following.complainant_view(c)["files"] == []
    for number in (1, f.pk):
        with pytest.raises(CaseNotFoundError):
            following.complainant_file(c, number)


def test_follow_page_lists_files_and_downloads_with_the_receipt(world, client):
    filed_with_files(world)  # files of an earlier case: this case's ids are not 1, 2
    filed = filed_with_files(world)
    page = client.post("/complaints/follow/", {"receipt": filed.receipt}).content.decode()
    assert 'id="my-files"' in page and "gate photo.jpg" in page and "broken.png" in page
    photo = filed.complaint.evidence.order_by("pk").first()
    assert 'name="file" value="1"' in page and f'value="{photo.pk}"' not in page
    assert page.count('name="file"') == 1  # no download for the file without a safe copy
    r = client.post("/complaints/follow/file/", {"receipt": filed.receipt, "file": 1})
    assert r.status_code == 200 and r.content.startswith(b"\xff\xd8\xff")
    assert r["Content-Type"] == "image/jpeg"
    assert r["Content-Disposition"] == 'attachment; filename="my-file-1.jpg"'
    assert "no-store" in r["Cache-Control"]


def test_follow_file_refuses_wrong_codes_other_cases_and_gets(world, client):
    mine = filed_with_files(world)
    theirs = filed_with_files(world)
    their_photo = theirs.complaint.evidence.order_by("pk").first()
    # My code and their file's id: no such file (files are numbered within the
    # case the code opens; an id is no number of it).
    r = client.post("/complaints/follow/file/", {"receipt": mine.receipt, "file": their_photo.pk})
    assert r.status_code == 404 and b"\xff\xd8\xff" not in r.content
    for code in ("", "ABCD-1234-EFGH-5678-JKMN", mine.receipt[:-1]):
        r = client.post("/complaints/follow/file/", {"receipt": code, "file": their_photo.pk})
        assert r.status_code == 404
    for bad in ("", "x", "-1", "1e9"):
        r = client.post("/complaints/follow/file/", {"receipt": mine.receipt, "file": bad})
        assert r.status_code == 404
    # Never in an address (browser history on a shared phone): GET is not served.
    r = client.get(f"/complaints/follow/file/?receipt={mine.receipt}&file={their_photo.pk}")
    assert r.status_code == 405


def test_guessing_codes_for_files_is_limited(world, client, settings):
    from imvo.complaints import limits

    filed = filed_with_files(world)
    photo = filed.complaint.evidence.order_by("pk").first()
    for _ in range(limits.RECEIPT_FAILURE_LIMIT):
        client.post("/complaints/follow/file/", {"receipt": "ABCD-1234-EFGH-5678-JKMN", "file": 1})
    r = client.post("/complaints/follow/file/", {"receipt": "ABCD-1234-EFGH-5678-JKMA", "file": 1})
    assert r.status_code == 429
    # The right code still opens its own file (a shared address cannot lock it out).
    r = client.post("/complaints/follow/file/", {"receipt": filed.receipt, "file": 1})
    assert r.status_code == 200 and r.content.startswith(b"\xff\xd8\xff")
    assert photo.from_complainant


def test_uploaded_on_the_follow_page_shows_at_once(world, client):
    filed = file(world)
    page = client.post(
        "/complaints/follow/",
        {
            "receipt": filed.receipt,
            "action": "reply",
            "message": "Here is the letter.",
            "evidence": [SimpleUploadedFile("letter.pdf", one_page_pdf())],
        },
    ).content.decode()
    assert "letter.pdf" in page and 'name="file"' in page
