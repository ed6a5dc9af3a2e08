"""Meeting papers as files: uploaded under the upload policy, downloaded by role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.metadata import clean_pdf
from imvo.core.testing import (
    assert_cleaned_pdf,
    one_page_pdf,
    pdf_with_author_and_gps_photo,
    photo_with_gps,
)
from imvo.covenants.services import governance
from imvo.testing import client_for

pytestmark = pytest.mark.django_db

# A real PDF with nothing to clean: stored as it came (`core.metadata.clean_pdf`).
PDF = clean_pdf(one_page_pdf())


@pytest.fixture
def paper(world, settings, tmp_path):
    """A steering group of X where company A holds a seat (B is a party without one),
    with an agenda item whose paper is a PDF for the members of the body."""
    settings.MEDIA_ROOT = tmp_path
    x = world.covenant_x
    body = governance.check_create_body(world.secretariat_x, x, "Stuurgroep", "Steering group")
    governance.check_add_seat(world.secretariat_x, body, "business", world.company_a)
    meeting = governance.check_schedule_meeting(
        world.secretariat_x, body, timezone.localdate() + timedelta(days=7)
    )
    return governance.check_add_agenda_item(
        world.secretariat_x, meeting, "Jaarplan", "Year plan",
        paper_upload=("Year plan 2026.pdf", PDF),
    )  # fmt: skip


def _get(user, url: str) -> int:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c.get(url).status_code


def test_a_paper_for_the_body_is_downloaded_by_its_members_only(world, paper):
    url = f"/covenants/covenant-x/papers/{paper.pk}/"
    c = client_for(world.member_a)
    r = c.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF  # type: ignore[attr-defined]
    assert r["Content-Disposition"].startswith('attachment; filename="Year_plan_2026.pdf"')
    assert r["Content-Type"] == "application/pdf"
    assert _get(world.secretariat_x, url) == 200
    # A party without a seat, another covenant's people and the public: 404.
    for outsider in (world.member_b, world.member_c, world.secretariat_y, None):
        assert _get(outsider, url) == 404
    # Through another covenant's address the paper does not exist either.
    assert _get(world.member_a, f"/covenants/covenant-y/papers/{paper.pk}/") == 404

    paper.paper_visibility = "parties"
    paper.save()
    assert _get(world.member_b, url) == 200 and _get(None, url) == 404
    paper.paper_visibility = "public"
    paper.save()
    assert _get(None, url) == 200 and _get(world.member_c, url) == 200
    page = Client().get(f"/covenants/covenant-x/meetings/{paper.meeting_id}/")
    assert url in page.content.decode()  # the public meeting page offers a public paper


def test_a_file_that_is_not_what_its_name_says_is_refused(world, paper):
    with pytest.raises(DomainError, match=r"does not look like a \.pdf file"):
        governance.check_attach_paper(world.secretariat_x, paper, "plan.pdf", b"MZ\x90\x00")
    with pytest.raises(DomainError, match="cannot be attached"):
        governance.check_attach_paper(world.secretariat_x, paper, "plan.exe", b"MZ")
    with pytest.raises(PermissionDeniedError):
        governance.check_attach_paper(world.member_a, paper, "plan.pdf", PDF)
    paper.refresh_from_db()
    assert paper.paper_file_name == "Year_plan_2026.pdf"


def test_the_secretariat_uploads_a_paper_through_the_meeting_page(world, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    body = governance.check_create_body(world.secretariat_x, world.covenant_x, "SG", "SG")
    meeting = governance.check_schedule_meeting(world.secretariat_x, body, timezone.localdate())
    c = client_for(world.secretariat_x)
    r = c.post(
        f"/manage/covenant-x/meetings/{meeting.pk}/",
        {"item-title_nl": "Budget", "item-title_en": "Budget", "item-paper_visibility": "parties",
         "item-paper_file": SimpleUploadedFile("budget.pdf", PDF)},
    )  # fmt: skip
    assert r.status_code == 302
    item = meeting.agenda.get()
    assert item.paper_file_name == "budget.pdf" and item.paper_file.read() == PDF


def test_a_papers_author_and_the_gps_of_its_photos_are_not_passed_on(world, paper):
    """A paper went to every member of the body (or the public) as uploaded: the
    PDF named who wrote it (document information and XMP) and the phone photo it
    shows told where and with which phone it was taken; the library and
    complaint evidence clean both."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(world.secretariat_x)
    r = c.post(
        f"/manage/covenant-x/meetings/{paper.meeting_id}/",
        {"item-title_nl": "Escalatie", "item-title_en": "Escalation",
         "item-paper_visibility": "body",
         "item-paper_file": SimpleUploadedFile("visit.pdf", pdf_with_author_and_gps_photo())},
    )  # fmt: skip
    assert r.status_code == 302
    item = paper.meeting.agenda.get(title_en="Escalation")
    r = client_for(world.member_a).get(f"/covenants/covenant-x/papers/{item.pk}/")
    assert r.status_code == 200
    served = b"".join(r.streaming_content)  # type: ignore[attr-defined]
    assert_cleaned_pdf(served)
    # Papers are documents: a photo is not taken as one (so never kept with its GPS).
    with pytest.raises(DomainError, match=r"visit\.jpg: .*docx, odt, pdf, xlsx"):
        governance.check_attach_paper(world.secretariat_x, item, "visit.jpg", photo_with_gps())
