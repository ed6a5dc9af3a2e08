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
from imvo.supplychain.tests.helpers import confirm_form, csv_bytes, make_registry
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
    member.post(f"/supply-chain/lists/{first.pk}/confirm/", confirm_form(first))
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


def _shown_confirm_form(member, sl: SupplierList) -> dict[str, str]:
    """The Confirm form's fields as the page shows them (what the browser posts)."""
    import re

    page = member.get(f"/supply-chain/lists/{sl.pk}/").content.decode()
    form = page[page.index('name="seen"') - 200 :]
    fields = dict(re.findall(r'<input type="hidden" name="(seen\w*)" value="([^"]*)">', form))
    assert set(fields) == {"seen", "seen_files"}, fields
    return {"action": "confirm", **fields}


@pytest.mark.parametrize("mode", ["replace", "add"])
def test_the_page_confirms_only_against_the_disclosure_it_showed(world, member, mode) -> None:
    """The mode alone did not pin the web's Confirm: the page said "This file
    replaces your disclosure (now in it: eerste.csv)"; meanwhile, in a second tab,
    derde.csv replaced eerste.csv; Confirm on the first tab, still "replace",
    replaced derde.csv, which the member never saw the effect on. Now the page posts
    the files its effect was computed against too."""
    _upload(world, FIRST, "eerste.csv", confirm=True)
    later = _upload(world, SECOND, "tweede.csv", mode=mode)
    shown = _shown_confirm_form(member, later)
    assert shown["seen"] == mode
    # A second tab: another file of the year, same choice, confirmed first.
    third = [["Chittagong Denim Mills", "Road 7, Chattogram", "BD"]]
    other = _upload(world, third, "derde.csv", mode=mode)
    member.post(f"/supply-chain/lists/{other.pk}/confirm/", confirm_form(other))
    before = _current(world)
    assert before == (["derde.csv"] if mode == "replace" else ["derde.csv", "eerste.csv"])
    assert disclosure.preview_mode(later) == mode  # the mode is the same: it did not notice
    response = member.post(f"/supply-chain/lists/{later.pk}/confirm/", shown)
    assert response.status_code == 302
    page = member.get(f"/supply-chain/lists/{later.pk}/").content.decode()
    assert "changed since this page was shown (now in it: " in page
    assert "derde.csv" in page[page.index("changed since this page was shown") :][:200]
    later.refresh_from_db()
    assert later.status == SupplierList.Status.PREVIEW and _current(world) == before
    # In Dutch too.
    member.post(f"/supply-chain/lists/{later.pk}/confirm/", shown, HTTP_ACCEPT_LANGUAGE="nl")
    nl = member.get(f"/supply-chain/lists/{later.pk}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "gewijzigd sinds deze pagina werd getoond" in nl.content.decode()
    # The page shown again carries the new effect; confirming it goes through.
    member.post(f"/supply-chain/lists/{later.pk}/confirm/", _shown_confirm_form(member, later))
    expected = ["tweede.csv"] if mode == "replace" else sorted([*before, "tweede.csv"])
    assert _current(world) == expected


def test_a_confirm_post_without_what_the_page_showed_is_refused(world, member) -> None:
    """An old page (or a hand-made post) that does not say what it showed changes
    nothing; the API answers 400 for the same (`seen` required)."""
    _upload(world, FIRST, "eerste.csv", confirm=True)
    later = _upload(world, SECOND, "tweede.csv", mode="replace")
    for fields in ({}, {"seen": "replace"}, {"seen_files": disclosure.preview(later).seen_files}):
        member.post(f"/supply-chain/lists/{later.pk}/confirm/", {"action": "confirm", **fields})
        later.refresh_from_db()
        assert later.status == SupplierList.Status.PREVIEW
    assert _current(world) == ["eerste.csv"]
    member.post(f"/supply-chain/lists/{later.pk}/confirm/", confirm_form(later))
    assert _current(world) == ["tweede.csv"]


def test_a_replacement_confirmed_in_another_tab_and_not_yet_processed_pins_too(
    world, member
) -> None:
    """Found in the demo (a real worker): the second tab's replacement, confirmed,
    waited for the worker, so the disclosure was still eerste.csv and the first
    tab's Confirm went through; the file processed last then replaced the other.
    A confirmed file on its way counts as a change of the disclosure, and the
    preview names it."""
    _upload(world, FIRST, "eerste.csv", confirm=True)
    later = _upload(world, SECOND, "tweede.csv", mode="replace")
    shown = _shown_confirm_form(member, later)
    other = _upload(world, [["Chittagong Denim Mills", "Road 7", "BD"]], "derde.csv", "replace")
    # Confirmed in the second tab; the worker has not reached it yet.
    SupplierList.objects.filter(pk=other.pk).update(
        status=SupplierList.Status.QUEUED, confirmed=True
    )
    assert _current(world) == ["eerste.csv"]
    member.post(f"/supply-chain/lists/{later.pk}/confirm/", shown)
    later.refresh_from_db()
    assert later.status == SupplierList.Status.PREVIEW
    page = member.get(f"/supply-chain/lists/{later.pk}/").content.decode()
    assert (
        "changed since this page was shown (now in it: eerste.csv, derde.csv (confirmed, "
        "still being processed))" in page
    )
    on_the_way = page[page.index("data-on-the-way") :][:200]
    assert "Confirmed and still being processed" in on_the_way and "derde.csv" in on_the_way
    nl = member.get(f"/supply-chain/lists/{later.pk}/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Bevestigd en nog in verwerking" in nl.content.decode()
    # The page shown now names it; confirming that goes through.
    member.post(f"/supply-chain/lists/{later.pk}/confirm/", _shown_confirm_form(member, later))
    later.refresh_from_db()
    assert later.status != SupplierList.Status.PREVIEW
