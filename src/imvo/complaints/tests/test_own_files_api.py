"""``GET /api/complaints/mine`` lists the complainant's own files as the follow
page does: name, size, day, whether a safe copy exists; no URL (none carries the
receipt code); never the company's files, never another case's."""

from django.utils import timezone

from imvo.complaints.services import answers
from imvo.complaints.tests.helpers import admit, file, jpeg_with_exif
from imvo.core.testing import one_page_pdf

BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"broken" * 10


def test_mine_lists_own_files_without_a_url(world, client):
    filed = file(
        world,
        respondent=world.company_a,
        files=[("gate photo.jpg", jpeg_with_exif()), ("broken.png", BROKEN_PNG)],
    )
    c = admit(world.committee_x, filed.complaint)
    answers.check_company_answer(world.member_a, c, "", [("company.pdf", one_page_pdf())])
    file(world, files=[("other case.pdf", one_page_pdf())])  # another complainant's

    r = client.get("/api/complaints/mine", headers={"X-Receipt": filed.receipt})
    assert r.status_code == 200
    files = r.json()["files"]
    day = timezone.localtime(c.filed_at).date().isoformat()
    assert files == [
        {
            "id": 1,  # numbered in the list, never the database id
            "name": "gate photo.jpg",
            "size": len(jpeg_with_exif()),
            "on": day,
            "downloadable": True,
        },
        {
            "id": 2,
            "name": "broken.png",
            "size": len(BROKEN_PNG),
            "on": day,
            "downloadable": False,  # no safe copy: stays with the committee
        },
    ]
    text = r.content.decode()
    assert "company.pdf" not in text and "other case.pdf" not in text
    assert filed.receipt not in text and "/complaints/follow/file/" not in text


def test_openapi_documents_the_files_of_mine(client, db):
    schema = client.get("/api/openapi.json").json()
    mine = schema["components"]["schemas"]["MineOut"]
    assert "files" in mine["properties"] and "files" in mine["required"]
    own = schema["components"]["schemas"]["OwnFileOut"]
    assert set(own["properties"]) == {"id", "name", "size", "on", "downloadable"}
