"""A member's disclosure is the member's own: the secretariat (and the platform
admin) see who sources where, but never change, replace, restore or delete it.

Every way in is tried: the services, the web pages (a 403 with the reason on the
page) and the API (403); after each refusal the disclosure is as it was."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from imvo.accounts.models import ApiToken
from imvo.core.errors import PermissionDeniedError
from imvo.supplychain import disclosure, services
from imvo.supplychain.models import Match, SupplierList
from imvo.supplychain.tests.helpers import confirm_form, csv_bytes, make_facility, make_registry

YEAR = timezone.now().year - 1
FIRST = [
    ["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur Industrial Area", "BD"],
    ["Saigon Sewing JSC", "45 Tan Thuan Rd, Dist 7, HCMC", "VN"],
]
SECOND = [["Anatolia Tekstil San. ve Tic. A.S.", "Organize Sanayi Bolgesi 4, Bursa", "TR"]]
REFUSAL = "Only the member itself can change its disclosure"


@pytest.fixture
def registry(db):
    return make_registry()


def upload(world, rows, name="list.csv", mode=None, confirm=False, year=YEAR) -> SupplierList:
    sl = services.upload_list(
        world.member_a, world.covenant_x, year, name, csv_bytes(rows), mode=mode, confirm=confirm
    )
    sl.refresh_from_db()
    return sl


def two_versions(world):
    """Company A's disclosure with two versions (the second adds a file)."""
    upload(world, FIRST, confirm=True)
    upload(world, SECOND, name="tier2.csv", mode="add", confirm=True)
    d = disclosure.find(world.covenant_x.pk, world.company_a.pk, YEAR)
    assert d is not None
    return d


def state(d) -> list[tuple[int, bool, list[str]]]:
    """What a disclosure holds: every version, which one is current, its files."""
    return [
        (v.number, v.is_current, sorted(sl.original_name for sl in v.lists.all()))
        for v in d.versions.order_by("number")
    ]


def pending_match(world) -> Match:
    make_facility("Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN")
    make_facility("Lotus Apparel Co Ltd", "Unit A No 5 Lotus Road Dongguan", "CN")
    rows = [["Lotus Apparel Limited", "Unit A, No. 5 Lotus Rd, Dongguan", "CN"]]
    sl = upload(world, rows, name="lotus.csv", confirm=True, year=YEAR + 1)
    return Match.objects.get(row__supplier_list=sl, status="pending")


@pytest.mark.parametrize("who", ["secretariat_x", "admin"])
def test_the_services_refuse_every_change_but_the_members_own(world, registry, who) -> None:
    user = getattr(world, who)
    d = two_versions(world)
    before = state(d)
    first = d.versions.get(number=1)
    waiting = upload(world, FIRST, name="replacement.csv", mode="replace")
    assert waiting.status == "preview"
    encoding = waiting.encoding
    assert services.lists_visible_to(user).filter(pk=waiting.pk).exists()  # they read it
    changes = [
        lambda: services.confirm_list(user, waiting),
        lambda: services.cancel_list(user, waiting),
        lambda: services.choose_encoding(user, waiting, "cp1252"),
        lambda: services.set_column_map(user, waiting, {"name": 0, "address": 1, "country": 2}),
        lambda: services.run_again(user, waiting),
        lambda: disclosure.restore_version(user, first),
        lambda: disclosure.carry_forward(user, world.covenant_x, YEAR + 1),
    ]
    for change in changes:
        with pytest.raises(PermissionDeniedError):
            change()
    waiting.refresh_from_db()
    assert waiting.status == "preview" and waiting.encoding == encoding
    assert state(d) == before
    assert not services.can_decide(user, waiting) and not disclosure.may_change(user, d)
    # The member itself still makes each change.
    assert services.can_decide(world.member_a, waiting) and disclosure.may_change(world.member_a, d)
    assert disclosure.restore_version(world.member_a, first).number == 3


@pytest.mark.parametrize("who", ["secretariat_x", "admin"])
def test_the_secretariat_does_not_decide_a_members_matches(world, registry, who) -> None:
    match = pending_match(world)
    candidate = int(match.candidates[0][0])
    with pytest.raises(PermissionDeniedError, match=REFUSAL if who == "secretariat_x" else None):
        services.decide_match(getattr(world, who), match, "confirm", candidate)
    match.refresh_from_db()
    assert match.status == "pending" and match.decided_by is None
    services.decide_match(world.member_a, match, "confirm", candidate)
    match.refresh_from_db()
    assert match.status == "confirmed"


def test_the_pages_refuse_the_secretariat_with_the_reason(client, world, registry) -> None:
    d = two_versions(world)
    waiting = upload(world, FIRST, name="replacement.csv", mode="replace")
    match = pending_match(world)
    before = state(d)
    client.force_login(world.secretariat_x)
    # It reads the list and the disclosure, without the buttons that change them.
    page = client.get(f"/supply-chain/lists/{waiting.pk}/").content.decode()
    assert "Only the member itself changes this disclosure" in page
    assert 'name="action" value="confirm"' not in page
    history = client.get(f"/supply-chain/disclosures/{d.pk}/").content.decode()
    assert "Restore version" not in history and "Only the member itself changes" in history
    posts = [
        (f"/supply-chain/lists/{waiting.pk}/confirm/", {"action": "confirm"}),
        (f"/supply-chain/lists/{waiting.pk}/confirm/", {"action": "cancel"}),
        (
            f"/supply-chain/lists/{waiting.pk}/confirm/",
            {"action": "encoding", "encoding": "cp1252"},
        ),
        (f"/supply-chain/lists/{waiting.pk}/run-again/", {}),
        (f"/supply-chain/lists/{waiting.pk}/mapping/", {"name": 0, "address": 1, "country": 2}),
        (f"/supply-chain/disclosures/{d.pk}/", {"version": d.versions.get(number=1).pk}),
        (f"/supply-chain/disclosures/{d.pk}/", {"action": "carry"}),
        (
            f"/supply-chain/matches/{match.pk}/decide/",
            {"action": "confirm", "facility": match.candidates[0][0]},
        ),
    ]
    for url, data in posts:
        r = client.post(url, data)
        assert r.status_code == 403, (url, data, r.status_code)
        assert REFUSAL in r.content.decode(), url
    assert client.get(f"/supply-chain/lists/{waiting.pk}/mapping/").status_code == 403
    waiting.refresh_from_db()
    match.refresh_from_db()
    assert waiting.status == "preview" and match.status == "pending"
    assert state(d) == before
    # The member's own confirmation goes through.
    client.force_login(world.member_a)
    r = client.post(f"/supply-chain/lists/{waiting.pk}/confirm/", confirm_form(waiting))
    assert r.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "done" and waiting.is_current


def test_the_api_answers_403_to_the_secretariat(client, world, registry) -> None:
    d = two_versions(world)
    _, token = ApiToken.issue(world.secretariat_x)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    _, own = ApiToken.issue(world.member_a)
    r = client.post(
        "/api/supplier-lists",
        {
            "covenant": world.covenant_x.slug,
            "year": YEAR,
            "file": SimpleUploadedFile("r.csv", csv_bytes(FIRST)),
            "mode": "replace",
            "preview": "true",
        },
        HTTP_AUTHORIZATION=f"Bearer {own}",
    )
    assert r.status_code == 201, r.content
    list_id = r.json()["id"]
    assert client.get(f"/api/supplier-lists/{list_id}/preview", **auth).status_code == 200
    before = state(d)
    r = client.post(f"/api/supplier-lists/{list_id}/confirm", **auth)
    assert r.status_code == 403 and REFUSAL in r.json()["detail"]
    assert SupplierList.objects.get(pk=list_id).status == "preview"
    assert state(d) == before
    pin = disclosure.preview(SupplierList.objects.get(pk=list_id)).seen_files
    r = client.post(
        f"/api/supplier-lists/{list_id}/confirm?seen=replace&seen_files={pin}",
        HTTP_AUTHORIZATION=f"Bearer {own}",
    )
    assert r.status_code == 200 and r.json()["current"]


def test_the_django_admin_shows_lists_and_matches_read_only(client, world, registry) -> None:
    match = pending_match(world)
    sl = match.row.supplier_list
    client.force_login(world.admin)
    assert client.get(f"/admin/supplychain/supplierlist/{sl.pk}/change/").status_code == 200
    for url, data in [
        (f"/admin/supplychain/supplierlist/{sl.pk}/delete/", {"post": "yes"}),
        (f"/admin/supplychain/supplierlist/{sl.pk}/change/", {"year": YEAR - 5}),
        (f"/admin/supplychain/match/{match.pk}/change/", {"status": "rejected"}),
        (f"/admin/supplychain/match/{match.pk}/delete/", {"post": "yes"}),
    ]:
        assert client.post(url, data).status_code == 403, url
    sl.refresh_from_db()
    match.refresh_from_db()
    assert sl.year == YEAR + 1 and match.status == "pending"
