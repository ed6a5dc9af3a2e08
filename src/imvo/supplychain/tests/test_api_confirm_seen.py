"""The API's confirm, like the web page's, holds the member to the effect its
preview showed: when the year's disclosure changed since (another file of the
year confirmed meanwhile), the answer is 409 with the reason and nothing changes."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from imvo.accounts.models import ApiToken
from imvo.supplychain import disclosure, services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import csv_bytes, make_registry
from imvo.supplychain.tests.test_services import YEAR

FIRST = [["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur", "BD"]]
SECOND = [["Saigon Sewing Joint Stock Company", "No. 45 Tan Thuan Road, District 7", "VN"]]


def _upload(world, rows, name, confirm=False) -> SupplierList:
    return services.upload_list(
        world.member_a, world.covenant_x, YEAR, name, csv_bytes(rows), mode="add", confirm=confirm
    )


def _pin(client, auth, sl) -> str:
    """The query GET .../preview tells the caller to send back."""
    answer = client.get(f"/api/supplier-lists/{sl.pk}/preview", **auth).json()
    return urlencode({"seen": answer["mode"], "seen_files": answer["seen_files"]})


def _current(world) -> list[str]:
    lists = disclosure.current_lists_for(world.covenant_x.pk, world.company_a.pk, YEAR)
    return sorted(sl.original_name for sl in lists)


def test_a_confirm_for_an_effect_that_changed_is_refused_with_409(client, world) -> None:
    make_registry()
    _, token = ApiToken.issue(world.member_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    waiting = _upload(world, FIRST, "eerste.csv")
    pin = _pin(client, auth, waiting)
    assert pin == "seen=first&seen_files="
    _upload(world, SECOND, "tweede.csv", confirm=True)  # meanwhile, by another hand
    assert _current(world) == ["tweede.csv"]

    r = client.post(f"/api/supplier-lists/{waiting.pk}/confirm?{pin}", **auth)
    assert r.status_code == 409, r.content
    detail = r.json()["detail"]
    assert f"The {YEAR} disclosure changed since the preview said 'first'" in detail
    assert "would add the file to it (files in it now: tweede.csv)" in detail
    assert SupplierList.objects.get(pk=waiting.pk).status == "preview"
    assert _current(world) == ["tweede.csv"]

    # Read again, confirmed for what it does now.
    r = client.post(
        f"/api/supplier-lists/{waiting.pk}/confirm?{_pin(client, auth, waiting)}", **auth
    )
    assert r.status_code == 200, r.content
    assert _current(world) == ["eerste.csv", "tweede.csv"]


def test_a_confirm_without_the_previews_mode_is_refused(client, world) -> None:
    make_registry()
    _, token = ApiToken.issue(world.member_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    waiting = _upload(world, FIRST, "eerste.csv")
    files = disclosure.preview(waiting).seen_files
    for query in ("", "?seen=whatever", "?seen=first", f"?seen_files={files}"):
        r = client.post(f"/api/supplier-lists/{waiting.pk}/confirm{query}", **auth)
        assert r.status_code == 400 and "Send seen" in r.json()["detail"]
    assert SupplierList.objects.get(pk=waiting.pk).status == "preview"


def _disclosed_then_waiting(world, mode: str) -> tuple[dict[str, str], SupplierList]:
    """eerste.csv disclosed; tweede.csv waiting for confirmation with `mode`."""
    make_registry()
    _, token = ApiToken.issue(world.member_a)
    _upload(world, FIRST, "eerste.csv", confirm=True)
    later = services.upload_list(
        world.member_a,
        world.covenant_x,
        YEAR,
        "tweede.csv",
        csv_bytes(SECOND),
        mode=mode,
        confirm=False,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}, later


@pytest.mark.parametrize("mode", ["replace", "add"])
def test_a_confirm_against_files_that_changed_is_refused_with_409(client, world, mode) -> None:
    """The mode alone did not pin the API's confirm (as it did not the web's):
    the preview said "replace" with eerste.csv in the disclosure; meanwhile
    derde.csv replaced (or was added to) it; the confirm, still "replace", went
    through and replaced derde.csv, whose effect the caller never read."""
    auth, later = _disclosed_then_waiting(world, mode)
    pin = _pin(client, auth, later)
    third = [["Chittagong Denim Mills", "Road 7, Chattogram", "BD"]]
    services.upload_list(
        world.member_a, world.covenant_x, YEAR, "derde.csv", csv_bytes(third), mode=mode
    )
    before = _current(world)
    assert before == (["derde.csv"] if mode == "replace" else ["derde.csv", "eerste.csv"])
    assert disclosure.preview_mode(later) == mode  # the mode did not notice

    r = client.post(f"/api/supplier-lists/{later.pk}/confirm?{pin}", **auth)
    assert r.status_code == 409, r.content
    detail = r.json()["detail"]
    assert f"The {YEAR} disclosure changed since the preview said {mode!r}" in detail
    assert "files in it now: " in detail and "derde.csv" in detail
    assert SupplierList.objects.get(pk=later.pk).status == "preview"
    assert _current(world) == before

    r = client.post(f"/api/supplier-lists/{later.pk}/confirm?{_pin(client, auth, later)}", **auth)
    assert r.status_code == 200, r.content
    assert _current(world) == (["tweede.csv"] if mode == "replace" else [*before, "tweede.csv"])


def test_a_file_confirmed_and_still_being_processed_pins_the_api_too(client, world) -> None:
    """A replacement confirmed elsewhere and still waiting for the worker changes
    the disclosure when its turn comes: the preview names it, and a confirm read
    before it was confirmed is refused, naming it."""
    auth, later = _disclosed_then_waiting(world, "replace")
    pin = _pin(client, auth, later)
    other = services.upload_list(
        world.member_a,
        world.covenant_x,
        YEAR,
        "derde.csv",
        csv_bytes([["Chittagong Denim Mills", "Road 7", "BD"]]),
        mode="replace",
        confirm=False,
    )
    SupplierList.objects.filter(pk=other.pk).update(
        status=SupplierList.Status.QUEUED, confirmed=True
    )
    assert _current(world) == ["eerste.csv"]
    answer = client.get(f"/api/supplier-lists/{later.pk}/preview", **auth).json()
    assert answer["on_the_way"] == ["derde.csv"] and answer["current_files"] == ["eerste.csv"]

    r = client.post(f"/api/supplier-lists/{later.pk}/confirm?{pin}", **auth)
    assert r.status_code == 409, r.content
    assert (
        "(files in it now: eerste.csv; confirmed, still being processed: derde.csv)"
        in (r.json()["detail"])
    )
    assert SupplierList.objects.get(pk=later.pk).status == "preview"
