"""The learning library: who may publish, search across covenants, attachments."""

from __future__ import annotations

import pytest
from django.test import Client

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.testing import (
    PHONE,
    assert_cleaned_pdf,
    pdf_with_author_and_gps_photo,
    photo_with_gps,
)
from imvo.library import services
from imvo.testing import client_for, make_org

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    import io

    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


PDF = _pdf()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_members_publish_in_their_own_covenant_only(world):
    item = services.publish_learning_item(
        world.member_a, world.covenant_x, "Living wage pilot", "We paid the gap."
    )
    assert item.organisation == world.company_a and item.sector == "garment"
    with pytest.raises(PermissionDeniedError):
        services.publish_learning_item(world.member_a, world.covenant_y, "t", "x")
    outsider = make_user(organisation=make_org("Outsider"))
    with pytest.raises(PermissionDeniedError):
        services.publish_learning_item(outsider, world.covenant_x, "t", "x")
    services.publish_learning_item(world.secretariat_y, world.covenant_y, "Bank lesson", "x")


def test_search_across_covenants(world):
    services.publish_learning_item(
        world.member_a,
        world.covenant_x,
        "Union-led audit follow-up",
        "Remediation agreed with the factory UNION in Dhaka.",
        summary="Faster closure",
    )
    services.publish_learning_item(
        world.member_c, world.covenant_y, "Engagement with a bank client", "Union rights clause."
    )
    services.publish_learning_item(world.member_b, world.covenant_x, "Water", "Dye house.")
    titles = lambda qs: sorted(i.title for i in qs)  # noqa: E731
    assert titles(services.search_learning("union")) == [
        "Engagement with a bank client",
        "Union-led audit follow-up",
    ]
    assert titles(services.search_learning("union dhaka")) == ["Union-led audit follow-up"]
    assert titles(services.search_learning("union", covenant=world.covenant_y)) == [
        "Engagement with a bank client"
    ]
    assert titles(services.search_learning("", sector="banking")) == [
        "Engagement with a bank client"
    ]
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/reports/library/", {"q": "dye"}).content.decode()
    assert "Water" in page and "Union-led" not in page
    api = (
        Client(HTTP_ACCEPT_LANGUAGE="en")
        .get("/api/learning", {"q": "union", "covenant": "covenant-x"})
        .json()
    )
    assert [i["title"] for i in api] == ["Union-led audit follow-up"]


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("run.exe", b"MZ", "cannot be attached"),
        ("report.pdf", b"<html>not a pdf", "does not look like a .pdf file"),
        ("photo.png", PDF, "does not look like a .png file"),
        ("notes.txt", b"\xff\xfe\x00bad", "not UTF-8 text"),
        ("empty.pdf", b"", "is empty"),
        ("big.pdf", b"%PDF-" + b"0" * services.MAX_ATTACHMENT_BYTES, "at most 5 MB"),
    ],
)
def test_bad_attachments_are_refused_with_the_reason(world, name, data, message):
    with pytest.raises(DomainError, match=message):
        services.publish_learning_item(
            world.member_a, world.covenant_x, "t", "x", attachments=[services.Upload(name, data)]
        )
    from imvo.library.models import LearningItem

    assert not LearningItem.objects.exists()


def test_attachment_is_stored_and_served_as_download(world):
    item = services.publish_learning_item(
        world.member_a,
        world.covenant_x,
        "Guide",
        "See the file.",
        attachments=[services.Upload("../../etc/guide.pdf", PDF)],
    )
    att = item.attachments.get()
    assert att.name == "guide.pdf"
    r = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/reports/library/file/{att.pk}/")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment")
    served = b"".join(r.streaming_content)  # type: ignore[attr-defined]
    assert served.startswith(b"%PDF-") and att.size == len(served)
    assert Client(HTTP_ACCEPT_LANGUAGE="en").get("/reports/library/file/999999/").status_code == 404


def _share_lesson(client, covenant, title, text, file_name, data):
    """Post the share form: a lesson in the covenant with one attached file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/reports/library/new/",
        {
            "covenant": covenant.pk,
            "kind": "lesson",
            "title": title,
            "text": text,
            "attachments": [SimpleUploadedFile(file_name, data)],
        },
    )


def test_share_form_publishes_with_upload(world):
    c = client_for(world.member_a, "en")
    r = _share_lesson(
        c, world.covenant_x, "Supplier template", "A short template helps.", "t.csv", b"a,b\n1,2\n"
    )
    assert r.status_code == 302
    page = c.get(r["Location"]).content.decode()
    assert "Supplier template" in page and "t.csv" in page
    # Someone outside every covenant gets no form.
    outsider = make_user(organisation=make_org("Outsider"))
    c.force_login(outsider)
    assert c.get("/reports/library/new/").status_code == 404
    # A bad file: the form comes back with the reason.
    c.force_login(world.member_a)
    r = _share_lesson(c, world.covenant_x, "Bad", "x", "x.exe", b"MZ")
    assert r.status_code == 200 and "cannot be attached" in r.content.decode()


def test_theme_of_another_covenant_is_refused(world):
    from imvo.covenants.models import Theme

    other = Theme.objects.create(
        code="y-only", name_en="Y theme", name_nl="Y thema", covenant=world.covenant_y
    )
    own = Theme.objects.create(
        code="x-only", name_en="X theme", name_nl="X thema", covenant=world.covenant_x
    )
    with pytest.raises(DomainError, match="another covenant"):
        services.publish_learning_item(world.member_a, world.covenant_x, "t", "x", theme=other)
    item = services.publish_learning_item(world.member_a, world.covenant_x, "t", "x", theme=own)
    assert item.theme == own
    c = client_for(world.member_a, "en")
    form = c.get("/reports/library/new/").content.decode()
    assert "X theme" in form and "Y theme" not in form


def test_admin_lists_library_items(world):
    c = client_for(world.admin)
    assert c.get("/admin/library/learningitem/").status_code == 200


def test_published_photos_and_pdfs_carry_no_gps_camera_or_author(world):
    """The library is public: a phone photo of a factory told everyone where it was
    taken and with which phone, a PDF who wrote it, as they were uploaded."""
    import io

    from PIL import Image

    item = services.publish_learning_item(
        world.member_a,
        world.covenant_x,
        "Fire-safety training",
        "Photos of the training.",
        attachments=[
            services.Upload("training.jpg", photo_with_gps()),
            services.Upload("report.pdf", pdf_with_author_and_gps_photo()),
        ],
    )
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="en")
    served = {
        att.name: b"".join(anonymous.get(f"/reports/library/file/{att.pk}/").streaming_content)  # type: ignore[attr-defined]
        for att in item.attachments.all()
    }
    photo = served["training.jpg"]
    with Image.open(io.BytesIO(photo)) as img:
        assert img.size == (64, 48)
        assert not img.getexif() and not img.getexif().get_ifd(0x8825)
    assert PHONE.encode() not in photo
    document = served["report.pdf"]
    assert_cleaned_pdf(document)


def test_a_pdf_that_cannot_be_read_is_refused_with_the_reason(world):
    with pytest.raises(DomainError, match=r"guide\.pdf: The PDF is damaged"):
        services.publish_learning_item(
            world.member_a,
            world.covenant_x,
            "t",
            "x",
            attachments=[services.Upload("guide.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF")],
        )
