"""Pages and API: each person sees what they may, others get 404; downloads are safe."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imvo.accounts.models import ApiToken
from imvo.supplychain import services
from imvo.supplychain.models import Match, SupplierList
from imvo.supplychain.tests.helpers import (
    confirm_form,
    csv_bytes,
    make_facility,
    make_registry,
    publish_with_members,
)
from imvo.supplychain.tests.test_services import LIST_A, YEAR, upload


@pytest.fixture
def registry(db):
    return make_registry()


def test_upload_page_flow(client, world, registry) -> None:
    client.force_login(world.member_a)
    r = client.get("/supply-chain/upload/")
    assert r.status_code == 200 and world.covenant_x.name in r.content.decode()
    r = client.post(
        "/supply-chain/upload/",
        {
            "covenant": world.covenant_x.pk,
            "year": YEAR,
            "file": SimpleUploadedFile("l.csv", csv_bytes(LIST_A)),
        },
    )
    sl = SupplierList.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supply-chain/lists/{sl.pk}/"
    page = client.get(r["Location"]).content.decode()
    assert "Check the effect, then confirm" in page and "Locations added" in page
    client.post(f"/supply-chain/lists/{sl.pk}/confirm/", confirm_form(sl))
    page = client.get(r["Location"]).content.decode()
    assert "Rows received" in page and "Error report" in page


def test_upload_page_shows_file_error(client, world, registry) -> None:
    client.force_login(world.member_a)
    r = client.post(
        "/supply-chain/upload/",
        {
            "covenant": world.covenant_x.pk,
            "year": YEAR,
            "file": SimpleUploadedFile("l.xlsx", b"%PDF-1.4 x"),
        },
    )
    assert r.status_code == 200
    assert "l.xlsx: this is a PDF document, not a supplier list" in r.content.decode()
    # Kept as received (nothing lost), outside the disclosure, with its reason.
    sl = SupplierList.objects.get()
    assert sl.status == "failed" and "this is a PDF document" in sl.error
    assert not sl.is_current and not sl.rows.exists()
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "this is a PDF document" in page and "Run again" in page
    assert client.get(f"/supply-chain/lists/{sl.pk}/original").getvalue() == b"%PDF-1.4 x"


def test_other_company_gets_404_everywhere(client, world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    match = Match.objects.filter(row__supplier_list=sl).first()
    assert match is not None
    client.force_login(world.member_b)
    for url in [
        f"/supply-chain/lists/{sl.pk}/",
        f"/supply-chain/lists/{sl.pk}/rows/",
        f"/supply-chain/lists/{sl.pk}/decisions/",
        f"/supply-chain/lists/{sl.pk}/processed.csv",
        f"/supply-chain/lists/{sl.pk}/errors.csv",
        f"/supply-chain/lists/{sl.pk}/original",
        f"/supply-chain/lists/{sl.pk}/mapping/",
    ]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/supply-chain/matches/{match.pk}/decide/", {"action": "new"}).status_code
        == 404
    )
    assert client.post(f"/supply-chain/lists/{sl.pk}/run-again/").status_code == 404
    client.force_login(world.secretariat_y)
    assert client.get(f"/supply-chain/lists/{sl.pk}/").status_code == 404
    client.force_login(world.secretariat_x)
    assert client.get(f"/supply-chain/lists/{sl.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/supply-chain/lists/{sl.pk}/").status_code == 302  # to the login page


def test_downloads_are_formula_safe(client, world, registry) -> None:
    rows = [["=cmd|' /C calc'!A0", "@SUM(1)", "BD"], *LIST_A[:1]]
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", csv_bytes(rows))
    client.force_login(world.member_a)
    body = client.get(f"/supply-chain/lists/{sl.pk}/errors.csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(body)))
    assert lines[0][:3] == ["row", "column", "problem"]
    assert lines[1][0] == "2" and lines[1][3].startswith("'=")
    processed = client.get(f"/supply-chain/lists/{sl.pk}/processed.xlsx")
    assert processed.status_code == 200 and processed.content[:2] == b"PK"
    original = client.get(f"/supply-chain/lists/{sl.pk}/original")
    assert b"".join(original.streaming_content) == csv_bytes(rows)


def test_pending_page_and_decision(client, world, db) -> None:
    make_facility("Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN")
    b = make_facility("Lotus Apparel Co Ltd", "Unit A No 5 Lotus Road Dongguan", "CN")
    sl = upload(
        world.member_a,
        world.covenant_x,
        [["Lotus Apparel Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN"]],
    )
    match = Match.objects.get(row__supplier_list=sl)
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/lists/{sl.pk}/decisions/").content.decode()
    assert "Unit A No 5 Lotus Road Dongguan" in page and "This is a new facility" in page
    r = client.post(
        f"/supply-chain/matches/{match.pk}/decide/", {"action": "confirm", "facility": b.pk}
    )
    assert r.status_code == 302
    match.refresh_from_db()
    assert match.status == "confirmed" and match.facility == b


def test_public_page_search_and_downloads(client, world, registry) -> None:
    upload(world.member_a, world.covenant_x)
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x, k=3)
    r = client.get(f"/supply-chain/public/{world.covenant_x.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    page = r.content.decode()
    assert r.status_code == 200 and "Dhaka Knit Composite Ltd" in page and "Company A" not in page
    # Only company A sources at Saigon Sewing: the search would single it out.
    r = client.get(f"/supply-chain/public/{world.covenant_x.slug}/?q=saigon")
    assert (
        "Saigon Sewing" not in r.content.decode() and "Fewer than 3 members" in r.content.decode()
    )
    r = client.get(f"/supply-chain/public/{world.covenant_x.slug}/?q=saigon&format=csv")
    assert r.status_code == 200 and b"Saigon" not in r.content
    data = json.loads(
        client.get(f"/supply-chain/public/{world.covenant_x.slug}/?format=json").content
    )
    assert data["meta"]["licence"] == "CC BY 4.0" and len(data["data"]) == 4
    # One or two members at each location: the same band, no exact small count.
    assert {d["members"] for d in data["data"]} == {"1\u20134"}


def test_shared_page_per_role(client, world, registry) -> None:
    upload(world.member_a, world.covenant_x)
    upload(world.member_b, world.covenant_x, LIST_A[:1])
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").content.decode()
    assert "Dhaka Knit" in page and "Company B" not in page
    client.force_login(world.secretariat_x)
    page = client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").content.decode()
    assert "Company A, Company B" in page
    client.force_login(world.member_c)
    assert client.get(f"/supply-chain/shared/{world.covenant_x.slug}/").status_code == 404


def test_nav_links_per_role(world) -> None:
    from imvo.supplychain.nav import links_for

    assert [link.url for link in links_for(world.member_a)] == [
        "/supply-chain/upload/",
        "/supply-chain/",
        "/supply-chain/review/",
    ]
    assert [link.url for link in links_for(world.secretariat_x)] == [
        "/supply-chain/",
        "/supply-chain/review/",
    ]
    assert links_for(world.committee_x) == []


def test_no_downloads_are_offered_before_a_list_is_public(client, world, registry) -> None:
    """A covenant with no published list says so and offers no CSV/XLSX/JSON of zero
    locations; once a year is public, the downloads are there."""
    upload(world.member_a, world.covenant_x)
    url = f"/supply-chain/public/{world.covenant_x.slug}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is not public yet" in page
    assert "format=csv" not in page and "format=xlsx" not in page and "format=json" not in page
    assert client.get(url + "?format=csv").status_code == 200  # the address still answers
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x, k=3)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "format=csv" in page and "format=xlsx" in page and "format=json" in page


def test_api_upload_poll_rows_and_public(client, world, registry) -> None:
    _, token = ApiToken.issue(world.member_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    r = client.post(
        "/api/supplier-lists",
        {
            "covenant": world.covenant_x.slug,
            "year": YEAR,
            "file": SimpleUploadedFile("l.csv", csv_bytes(LIST_A)),
        },
        **auth,
    )
    assert r.status_code == 201, r.content
    list_id = r.json()["id"]
    status = client.get(f"/api/supplier-lists/{list_id}", **auth).json()
    assert status["status"] == "done" and status["summary"]["valid"] == 4
    rows = client.get(f"/api/supplier-lists/{list_id}/rows", **auth).json()
    assert rows[0]["facility_id"] == registry[0].pk and rows[0]["match_status"] == "automatic"
    bad = client.post(
        "/api/supplier-lists",
        {"covenant": world.covenant_x.slug, "year": YEAR, "file": SimpleUploadedFile("e.csv", b"")},
        **auth,
    )
    assert bad.status_code == 400 and "e.csv: the file is empty" in bad.json()["detail"]
    _, other = ApiToken.issue(world.member_b)
    assert (
        client.get(
            f"/api/supplier-lists/{list_id}", HTTP_AUTHORIZATION=f"Bearer {other}"
        ).status_code
        == 404
    )
    assert client.get(f"/api/supplier-lists/{list_id}").status_code == 401
    public = client.get(f"/api/public/production-locations/{world.covenant_x.slug}").json()
    assert public == []  # one member disclosed, nothing published
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x, k=3)
    public = client.get(f"/api/public/production-locations/{world.covenant_x.slug}").json()
    assert len(public) == 4 and all(p["named_members"] == [] for p in public)


def test_public_page_in_dutch(client, world, registry) -> None:
    upload(world.member_a, world.covenant_x)
    page = client.get(
        f"/supply-chain/public/{world.covenant_x.slug}/", HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Productielocaties" in page and "Leden die hier inkopen" in page


def test_a_second_upload_asks_add_or_replace(client, world, registry) -> None:
    upload(world.member_a, world.covenant_x)
    client.force_login(world.member_a)

    def post(**extra: str):
        data = {"covenant": world.covenant_x.pk, "year": YEAR, **extra}
        data["file"] = SimpleUploadedFile("b.csv", csv_bytes(LIST_A[:1]))
        return client.post("/supply-chain/upload/", data)

    r = post()
    assert r.status_code == 200 and "already has list.csv" in r.content.decode()
    assert SupplierList.objects.count() == 1
    r = post(mode="add")
    assert r.status_code == 302
    # The member sees the effect first; nothing changed yet.
    preview = client.get(r["Location"]).content.decode()
    assert (
        "Check the effect, then confirm" in preview
        and "Nothing changes until you confirm" in preview
    )
    assert SupplierList.objects.current().count() == 1
    sl = SupplierList.objects.get(original_name="b.csv")
    assert client.post(f"/supply-chain/lists/{sl.pk}/confirm/", confirm_form(sl)).status_code == 302
    assert SupplierList.objects.current().count() == 2
    history = client.get(f"/supply-chain/disclosures/{sl.versions.get().disclosure_id}/")
    assert (
        "File added" in history.content.decode() and "Restore version 1" in history.content.decode()
    )


def test_a_list_whose_worker_died_offers_run_again(client, world, registry) -> None:
    """A worker killed mid-task leaves the list "processing" for good (the task is
    not taken up again, docs/operations.md): after STUCK_AFTER the page says so
    and offers Run again, which processes it to the end."""
    from django.utils import timezone

    sl = upload(world.member_a, world.covenant_x)
    SupplierList.objects.filter(pk=sl.pk).update(status="processing", started=timezone.now())
    client.force_login(world.member_a)
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "no progress for a long time" not in page and "/run-again/" not in page
    silent_since = timezone.now() - services.STUCK_AFTER - timezone.timedelta(minutes=1)  # type: ignore[attr-defined]
    SupplierList.objects.filter(pk=sl.pk).update(started=silent_since, progress_at=silent_since)
    page = client.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    assert "no progress for a long time" in page and f"/lists/{sl.pk}/run-again/" in page
    r = client.post(f"/supply-chain/lists/{sl.pk}/run-again/")
    assert r.status_code == 302
    sl.refresh_from_db()
    assert sl.status == "done"
