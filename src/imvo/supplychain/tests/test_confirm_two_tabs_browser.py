"""A second tab between the preview and Confirm, in a real browser: the member
previews a file that replaces "eerste.csv", replaces it with another file in a
second tab, and clicks Confirm on the first. That page's effect is no longer
what Confirm would do: it is refused with the files in the disclosure now, and
the page shows the new effect (before, Confirm replaced the second tab's file,
whose effect the page never showed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from imvo.core.testing import login
from imvo.supplychain import disclosure
from imvo.supplychain.services import upload_list
from imvo.supplychain.tests.helpers import csv_bytes, make_registry
from imvo.testing import build_world

YEAR = timezone.now().year - 1


def _upload(page, path: Path) -> None:
    page.goto("/supply-chain/upload/")
    page.fill("#id_year", str(YEAR))
    page.set_input_files("#id_file", str(path))
    page.check("input[name=mode][value=replace]")
    page.click("main button[type=submit]")
    page.wait_for_url("**/supply-chain/lists/*/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_confirm_after_a_second_tab_changed_the_disclosure_is_refused(
    page, live_server, tmp_path
) -> None:
    world = build_world()
    make_registry()
    rows = {
        "eerste.csv": ["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur", "BD"],
        "tweede.csv": ["Saigon Sewing JSC", "45 Tan Thuan Rd, District 7", "VN"],
        "derde.csv": ["Chittagong Denim Mills", "Road 7, Chattogram", "BD"],
    }
    for name, row in rows.items():
        (tmp_path / name).write_bytes(csv_bytes([row]))
    upload_list(
        world.member_a, world.covenant_x, YEAR, "eerste.csv", csv_bytes([rows["eerste.csv"]])
    )

    def current() -> list[str]:
        lists = disclosure.current_lists_for(world.covenant_x.pk, world.company_a.pk, YEAR)
        return [sl.original_name for sl in lists]

    assert current() == ["eerste.csv"]
    login(page, world.member_a.username)
    _upload(page, tmp_path / "tweede.csv")
    first_tab = page.url
    preview = page.locator("section.preview").inner_text()
    assert "This file replaces your disclosure" in preview and "eerste.csv" in preview

    second = page.context.new_page()  # the same session, another tab
    _upload(second, tmp_path / "derde.csv")
    second.click("button[value=confirm]")
    second.wait_for_url("**/supply-chain/lists/*/")
    assert current() == ["derde.csv"]

    page.click("button[value=confirm]")  # the first tab, still showing its preview
    page.wait_for_url(first_tab)
    text = page.locator("main").inner_text()
    assert "changed since this page was shown (now in it: derde.csv)" in text
    assert current() == ["derde.csv"]  # nothing replaced
    assert "Now in it: derde.csv." in page.locator("section.preview").inner_text()
    page.click("button[value=confirm]")  # confirms the effect now shown
    page.wait_for_url(first_tab)
    assert current() == ["tweede.csv"]
