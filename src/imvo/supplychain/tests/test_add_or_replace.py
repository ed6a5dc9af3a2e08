"""The first upload of a year and the later ones say alike what they do (2026-12-07).

Found by clicking through: the upload form asked "If you already disclosed for
this year" whether or not the member had, without saying which years it had
disclosed; and a file uploaded as the year's first, still waiting for its
confirmation while a second file of the year was confirmed, showed "This file
replaces your disclosure" with nothing but Confirm: a replacement nobody chose,
one click from happening (and, found in the demo, two first files confirmed
before the worker made either the disclosure: the one processed last replaced
the other). Now:
- the upload form lists the years the member already disclosed (and files on
  their way), so the member knows whether the choice applies;
- the preview of a year that has a disclosure offers the other choice ("Add
  this file to the disclosure instead" / "Replace ... instead"), and the
  Confirm button says which ("Confirm: add to the disclosure");
- the year's first file, uploaded with nothing to choose, is added to the
  disclosure should another file become it first; a replacement is made only
  when the member chose it;
- a confirmation made on a page that showed another effect than the one now
  (the disclosure changed meanwhile) is refused with the reason; the member
  reads the effect again and confirms what it sees.
"""

from __future__ import annotations

import pytest
from django.test import Client

from imvo.core.errors import DomainError
from imvo.supplychain import disclosure, services
from imvo.supplychain.models import SupplierList
from imvo.supplychain.tests.helpers import csv_bytes, make_registry
from imvo.supplychain.tests.test_services import YEAR

FIRST = [["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur", "BD"]]
SECOND = [["Saigon Sewing Joint Stock Company", "No. 45 Tan Thuan Road, District 7", "VN"]]


@pytest.fixture
def member(world, db):
    make_registry()
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.member_a)
    return client


def _upload(world, rows, name, mode=None, confirm=False) -> SupplierList:
    return services.upload_list(
        world.member_a, world.covenant_x, YEAR, name, csv_bytes(rows), mode=mode, confirm=confirm
    )


def _current(world) -> list[str]:
    lists = disclosure.current_lists_for(world.covenant_x.pk, world.company_a.pk, YEAR)
    return sorted(sl.original_name for sl in lists)


def test_the_upload_form_says_which_years_have_a_disclosure(world, member) -> None:
    page = member.get("/supply-chain/upload/").content.decode()
    assert "You have no disclosure yet" in page
    _upload(world, FIRST, "eerste.csv", confirm=True)
    page = member.get("/supply-chain/upload/").content.decode()
    assert "Years you already disclosed" in page
    assert f"{world.covenant_x.name}, {YEAR}: eerste.csv" in page
    assert "The first file of a year becomes its disclosure" in page
    nl = member.get("/supply-chain/upload/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Jaren waarvoor u al openbaar maakte" in nl


def test_a_first_upload_overtaken_by_another_is_not_replaced_unasked(world, member) -> None:
    first = _upload(world, FIRST, "eerste.csv")  # the year's first: nothing to choose
    assert disclosure.preview(first).mode == "first"
    page = member.get(f"/supply-chain/lists/{first.pk}/").content.decode()
    assert "This file becomes your disclosure" in page and "data-mode-switch" not in page
    # Meanwhile another file of the year is added and confirmed.
    _upload(world, SECOND, "tweede.csv", mode="add", confirm=True)
    assert _current(world) == ["tweede.csv"]
    # Confirming on the page that said "becomes your disclosure" replaces nothing.
    response = member.post(
        f"/supply-chain/lists/{first.pk}/confirm/", {"action": "confirm", "seen": "first"}
    )
    assert response.status_code == 302
    shown = member.get(f"/supply-chain/lists/{first.pk}/").content.decode()
    assert "changed since this page was shown (now in it: tweede.csv)" in shown
    first.refresh_from_db()
    assert first.status == SupplierList.Status.PREVIEW and _current(world) == ["tweede.csv"]
    # The page now says what confirming does (the year's first file, overtaken, is
    # added: a replacement only when chosen) and offers the other choice.
    assert "This file is added to your disclosure" in shown
    assert "Replace the disclosure with this file instead" in shown
    assert "Confirm: add to the disclosure" in shown
    member.post(f"/supply-chain/lists/{first.pk}/confirm/", {"action": "replace"})
    shown = member.get(f"/supply-chain/lists/{first.pk}/").content.decode()
    assert "This file replaces your disclosure" in shown
    assert "Add this file to the disclosure instead" in shown
    assert "Confirm: replace the disclosure" in shown
    member.post(f"/supply-chain/lists/{first.pk}/confirm/", {"action": "add"})
    member.post(f"/supply-chain/lists/{first.pk}/confirm/", {"action": "confirm", "seen": "add"})
    assert _current(world) == ["eerste.csv", "tweede.csv"]


def test_the_choice_can_change_only_before_confirming_and_by_the_member(world, member) -> None:
    _upload(world, FIRST, "eerste.csv", confirm=True)
    later = _upload(world, SECOND, "tweede.csv", mode="replace")
    services.choose_mode(world.member_a, later, "add")
    assert disclosure.preview(later).mode == "add"
    with pytest.raises(DomainError):
        services.choose_mode(world.member_a, later, "merge")
    with pytest.raises(DomainError):
        services.choose_mode(world.secretariat_x, later, "replace")
    services.confirm_list(world.member_a, later, seen="add")
    later.refresh_from_db()
    with pytest.raises(DomainError, match="only before you confirm"):
        services.choose_mode(world.member_a, later, "replace")
    assert _current(world) == ["eerste.csv", "tweede.csv"]


def test_two_first_files_confirmed_at_once_are_both_disclosed(world, member, monkeypatch) -> None:
    """Found in the demo: the year's first file and a second one ("add") were both
    confirmed while the worker had not yet made either the disclosure; the first,
    uploaded without a choice, was processed last and replaced the second. The
    year's first file is added when another became the disclosure meanwhile."""
    first = _upload(world, FIRST, "eerste.csv")
    second = _upload(world, SECOND, "tweede.csv", mode="add")
    waiting: list[SupplierList] = []
    monkeypatch.setattr(services, "enqueue", waiting.append)
    services.confirm_list(world.member_a, first, seen="first")
    services.confirm_list(world.member_a, second, seen="first")
    monkeypatch.undo()
    for sl in reversed(waiting):  # the second is processed first
        services.process_list(sl.pk)
    assert _current(world) == ["eerste.csv", "tweede.csv"]
    versions = disclosure.find(world.covenant_x.pk, world.company_a.pk, YEAR)
    assert versions is not None
    assert [v.change for v in versions.versions.order_by("number")] == ["first", "add"]
