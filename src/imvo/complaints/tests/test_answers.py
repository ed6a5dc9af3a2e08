"""The respondent company attaches files to its answer: checked by the upload
policy, metadata removed, stored encrypted, seen by the committee side and the
company that sent them only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imvo.complaints.evidence import evidence_dir, read_evidence
from imvo.complaints.models import AuditEntry, Complaint, Evidence, Forwarding
from imvo.complaints.services import access, answers, following, workflow
from imvo.complaints.services.access import CaseNotFoundError
from imvo.complaints.tests.helpers import admit, file, jpeg_with_exif
from imvo.core.errors import DomainError
from imvo.core.testing import one_page_pdf


def admitted(world, **kw):
    """A complaint against company A, admitted: A sees it and may answer."""
    return admit(world.committee_x, file(world, respondent=world.company_a, **kw).complaint)


def test_company_answers_with_files_cleaned_and_stored_encrypted(world):
    c = admitted(world)
    stored = answers.check_company_answer(
        world.member_a,
        c,
        "We paid the wages on 3 May; the payslips are attached.",
        [("payslips.pdf", one_page_pdf()), ("gate.jpg", jpeg_with_exif())],
    )
    assert [e.original_name for e in stored] == ["payslips.pdf", "gate.jpg"]
    for e in stored:
        assert e.company == world.company_a and not e.from_complainant
        assert e.message is not None and e.message.body.startswith("We paid")
        assert e.stored_name == e.safe_name and e.stored_files() == [e.stored_name]
        raw = (evidence_dir() / e.stored_name).read_bytes()
        assert b"%PDF" not in raw and b"\xff\xd8\xff" not in raw  # encrypted at rest
        assert "payslips" not in e.name_enc and "gate" not in e.name_enc
    photo = read_evidence(stored[1])
    assert photo.startswith(b"\xff\xd8\xff")
    assert b"SecretPhoneMaker" not in photo and b"GPS-Tracker-App" not in photo
    assert AuditEntry.objects.filter(action="answer-files", complaint_id_ref=c.pk).count() == 1


def test_files_alone_make_an_answer(world):
    c = admitted(world)
    [e] = answers.check_company_answer(world.member_a, c, "", [("p.pdf", one_page_pdf())])
    assert e.message is None and not c.messages.exists()


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ([("notes.txt", b"plain text")], "cannot be attached"),
        ([("fake.pdf", b"MZ\x90\x00 an exe")], "does not look like a .pdf"),
        ([("empty.pdf", b"")], "is empty"),
        ([("p.pdf", one_page_pdf())] * 6, "at most 5 files"),
    ],
)
def test_a_refused_file_refuses_the_answer_with_the_reason(world, files, says):
    c = admitted(world)
    with pytest.raises(DomainError, match=says):
        answers.check_company_answer(world.member_a, c, "See attached.", files)
    assert not Evidence.objects.exists() and not c.messages.exists()
    assert not list(evidence_dir().iterdir())


def test_too_large_file_refused(world, monkeypatch):
    from dataclasses import replace

    from imvo.complaints.evidence import ANSWER_FILES

    monkeypatch.setattr(answers, "ANSWER_FILES", replace(ANSWER_FILES, max_bytes=100))
    c = admitted(world)
    with pytest.raises(DomainError, match="attachments may be at most"):
        answers.check_company_answer(world.member_a, c, "", [("p.pdf", one_page_pdf())])


def test_empty_answer_and_removed_case_refused(world):
    c = admitted(world)
    with pytest.raises(DomainError, match="Write an answer or attach a file"):
        answers.check_company_answer(world.member_a, c, "  ", [])
    Complaint.objects.filter(pk=c.pk).update(personal_data_removed_at="2026-01-01T00:00Z")
    c.refresh_from_db()
    with pytest.raises(DomainError, match="file removed"):
        answers.check_company_answer(world.member_a, c, "late", [])


def test_only_the_company_on_the_case_answers(world):
    c = admitted(world)
    for user in (world.member_b, world.committee_x, world.secretariat_x, world.member_c):
        with pytest.raises(CaseNotFoundError):
            answers.check_company_answer(user, c, "x", [("p.pdf", one_page_pdf())])
    # Before admissibility the company does not see the case, so it cannot answer.
    early = file(world, respondent=world.company_a).complaint
    with pytest.raises(CaseNotFoundError):
        answers.check_company_answer(world.member_a, early, "x", [])
    assert not Evidence.objects.exists()


def test_who_sees_an_answer_file(world):
    c = admitted(world)
    Forwarding.objects.create(complaint=c, organisation=world.company_b)  # B: another member
    [a_file] = answers.check_company_answer(world.member_a, c, "", [("a.pdf", one_page_pdf())])
    [b_file] = answers.check_company_answer(world.member_b, c, "", [("b.pdf", one_page_pdf())])
    for user in (world.committee_x, world.secretariat_x):
        _c, role = access.get_case(user, c.reference)
        view = workflow.case_view(user, c, role)
        assert [(x["number"], x["e"].pk) for x in view["answer_files"]] == [
            (1, a_file.pk),
            (2, b_file.pk),
        ]
        assert a_file.pk not in {x["e"].pk for x in view["evidence"]}  # not the complainant's
        assert answers.answer_file_for(user, c, role, 1)[0] == a_file
    # Each company sees its own files, not the other's.
    _c, role = access.get_case(world.member_a, c.reference)
    assert [x["e"].pk for x in workflow.case_view(world.member_a, c, role)["answer_files"]] == [
        a_file.pk
    ]
    # Each numbers its own: B's first file is its number 1, A has no number 2.
    _c, b_role = access.get_case(world.member_b, c.reference)
    assert answers.answer_file_for(world.member_b, c, b_role, 1)[0] == b_file
    for number in (0, 2, b_file.pk):
        with pytest.raises(CaseNotFoundError):
            answers.answer_file_for(world.member_a, c, role, number)
    # Not through the evidence route either (that one serves the complainant's files).
    with pytest.raises(CaseNotFoundError):
        workflow.evidence_for(world.committee_x, c, "committee", a_file.pk)
    # The complainant's view lists none of them.
    assert following.complainant_view(c)["files"] == []
    # Sharing evidence with the company cannot pass one company's file to another.
    workflow.check_share_with_company(world.committee_x, c, "summary", [a_file.pk])
    a_file.refresh_from_db()
    assert not a_file.shared_with_company


def test_answer_files_removed_after_retention_and_kept_readable_on_rotation(world):
    from datetime import timedelta

    from django.utils import timezone

    from imvo.complaints.services import retention

    c = admitted(world)
    [e] = answers.check_company_answer(world.member_a, c, "", [("a.pdf", one_page_pdf())])
    retention.do_rotate_keys()
    e.refresh_from_db()
    assert read_evidence(e).startswith(b"%PDF") and e.original_name == "a.pdf"
    path = evidence_dir() / e.stored_name
    Complaint.objects.filter(pk=c.pk).update(
        state="closed", closed_at=timezone.now() - timedelta(days=4000)
    )
    assert retention.do_purge_personal_data() == 1
    assert not path.exists() and not Evidence.objects.filter(pk=e.pk).exists()


def test_company_page_answers_with_files_and_downloads_its_own(world, client):
    c = admitted(world)
    client.force_login(world.member_a)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page
    r = client.post(
        f"/complaints/cases/{c.reference}/",
        {
            "action": "answer",
            "body": "Payslips attached.",
            "files": [SimpleUploadedFile("slips.pdf", one_page_pdf())],
        },
    )
    assert r.status_code == 302
    assert Evidence.objects.filter(company=world.company_a).count() == 1
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    # Addressed by its number in the company's list, not by its id (T52).
    assert "slips.pdf" in page and f"/complaints/cases/{c.reference}/answers/1/" in page
    r = client.get(f"/complaints/cases/{c.reference}/answers/1/")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r["Content-Disposition"] == 'attachment; filename="answer-1.pdf"'
    assert "no-store" in r["Cache-Control"]
    # A refused file: the answer comes back as typed, with the reason.
    r = client.post(
        f"/complaints/cases/{c.reference}/",
        {
            "action": "answer",
            "body": "Also this.",
            "files": [SimpleUploadedFile("x.txt", b"hello")],
        },
    )
    assert r.status_code == 400
    assert "cannot be attached" in r.content.decode() and "Also this." in r.content.decode()
    # The committee's case page lists it with the company's name.
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'id="answer-files"' in page and "slips.pdf" in page and "Company A" in page


def test_an_attacker_with_a_case_of_its_own_reaches_no_other_answer_file(world, client):
    """Company B, respondent to a case of its own, asks for A's file through its
    own case, through A's case, and by guessing ids: never a byte."""
    c = admitted(world)
    [a_file] = answers.check_company_answer(world.member_a, c, "", [("a.pdf", one_page_pdf())])
    theirs = admit(world.committee_x, file(world, respondent=world.company_b).complaint)
    client.force_login(world.member_b)
    assert client.get(f"/complaints/cases/{theirs.reference}/").status_code == 200
    for url in (
        f"/complaints/cases/{theirs.reference}/answers/1/",
        f"/complaints/cases/{c.reference}/answers/1/",
        f"/complaints/cases/{theirs.reference}/answers/{a_file.pk}/",
        f"/complaints/cases/{c.reference}/answers/{a_file.pk}/",
        f"/complaints/cases/{theirs.reference}/evidence/{a_file.pk}/",
        f"/complaints/cases/{theirs.reference}/answers/{a_file.pk + 1}/",
    ):
        r = client.get(url)
        assert r.status_code == 404, url
        assert b"%PDF" not in r.content
    client.logout()
    r = client.get(f"/complaints/cases/{c.reference}/answers/1/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_an_answer_file_is_addressed_by_its_number_never_its_id(world, client):
    """T52 (O4's next step): the id in an answer file's address counted every
    evidence file of the platform, so a company read from its own files' ids how
    many files everybody else sent in between."""
    other = admit(world.committee_x, file(world, respondent=world.company_b).complaint)
    answers.check_company_answer(world.member_b, other, "", [("b.pdf", one_page_pdf())])
    c = admitted(world)
    [e] = answers.check_company_answer(world.member_a, c, "", [("a.pdf", one_page_pdf())])
    assert e.pk > 1
    client.force_login(world.member_a)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert f"/complaints/cases/{c.reference}/answers/1/" in page
    assert f"/answers/{e.pk}/" not in page
    assert client.get(f"/complaints/cases/{c.reference}/answers/{e.pk}/").status_code == 404
    r = client.get(f"/complaints/cases/{c.reference}/answers/1/")
    assert r.status_code == 200 and str(e.pk) not in r["Content-Disposition"]
