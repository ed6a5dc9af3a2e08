"""The API's confirm, like the web page's, holds the member to the effect its
preview showed: when the year's disclosure changed since (another file of the
year confirmed meanwhile), the answer is 409 with the reason and nothing changes."""

from __future__ import annotations

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


def _current(world) -> list[str]:
    lists = disclosure.current_lists_for(world.covenant_x.pk, world.company_a.pk, YEAR)
    return sorted(sl.original_name for sl in lists)


def test_a_confirm_for_an_effect_that_changed_is_refused_with_409(client, world) -> None:
    make_registry()
    _, token = ApiToken.issue(world.member_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    waiting = _upload(world, FIRST, "eerste.csv")
    seen = client.get(f"/api/supplier-lists/{waiting.pk}/preview", **auth).json()["mode"]
    assert seen == "first"
    _upload(world, SECOND, "tweede.csv", confirm=True)  # meanwhile, by another hand
    assert _current(world) == ["tweede.csv"]

    r = client.post(f"/api/supplier-lists/{waiting.pk}/confirm?seen={seen}", **auth)
    assert r.status_code == 409, r.content
    detail = r.json()["detail"]
    assert f"The {YEAR} disclosure changed since the preview said 'first'" in detail
    assert "would add the file to it (files in it now: tweede.csv)" in detail
    assert SupplierList.objects.get(pk=waiting.pk).status == "preview"
    assert _current(world) == ["tweede.csv"]

    # Read again, confirmed for what it does now.
    seen = client.get(f"/api/supplier-lists/{waiting.pk}/preview", **auth).json()["mode"]
    r = client.post(f"/api/supplier-lists/{waiting.pk}/confirm?seen={seen}", **auth)
    assert r.status_code == 200, r.content
    assert _current(world) == ["eerste.csv", "tweede.csv"]


def test_a_confirm_without_the_previews_mode_is_refused(client, world) -> None:
    make_registry()
    _, token = ApiToken.issue(world.member_a)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    waiting = _upload(world, FIRST, "eerste.csv")
    for query in ("", "?seen=whatever"):
        r = client.post(f"/api/supplier-lists/{waiting.pk}/confirm{query}", **auth)
        assert r.status_code == 400 and "Send seen" in r.json()["detail"]
    assert SupplierList.objects.get(pk=waiting.pk).status == "preview"
