"""Every message the row checks write is shown in Dutch on the member's pages."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import expect

from imvo.core.testing import login
from imvo.supplychain import geo, row_messages
from imvo.supplychain.parsing import read_table, recognise_headers, validate_rows
from imvo.testing import build_world

# One row per check (semicolons, Windows-1252, Dutch headers: a real member's file).
LIST = (
    "Naam leverancier;Adres;Land;Aantal medewerkers;Breedtegraad;Lengtegraad\r\n"
    "Tissage Hélène;12 rue de l\u2019Église, Roubaix;Frankrijk;ca. 80;;\r\n"
    "Münchner Strickwaren;Bahnhofstraße 7, München;;60;;\r\n"
    ";Zirani Bazar, Gazipur;Bangladesh;;;\r\n"
    "Totaal;;;4.905;;\r\n"
    "Atlantis Mills;Main Road 1;Atlantis;;;\r\n"
    'Formula Knit;=HYPERLINK("x");Bangladesh;;;\r\n'
    "Half Point;Road 2, Dhaka;Bangladesh;;23,8;\r\n"
    "Word Point;Road 3, Dhaka;Bangladesh;;north;90,4\r\n"
    "Zero Point;Road 4, Dhaka;Bangladesh;;0;0\r\n"
    "Far Point;Road 5, Dhaka;Bangladesh;;95;200\r\n"
    "Swapped Point;Road 6, Dhaka;Bangladesh;;90,41;23,81\r\n"
    "Elsewhere Point;Road 7, Dhaka;Bangladesh;;48,85;2,35\r\n"
).encode("cp1252")


def _messages() -> list[str]:
    table = read_table("leveranciers.csv", LIST)
    results = validate_rows(table, recognise_headers(table.header))
    found = [m for r in results for _c, m in (*r.errors, *r.warnings)]
    found += geo.check("23.8", "", "BD")[2] + geo.check("north", "90.4", "BD")[2]
    return found


def test_every_message_of_a_messy_list_is_shown_in_dutch():
    messages = _messages()
    assert len(messages) >= 12, messages
    with translation.override("nl"):
        shown = [row_messages.in_language(m) for m in messages]
    untranslated = [m for m, s in zip(messages, shown, strict=True) if m == s]
    assert not untranslated, untranslated
    assert "het land ontbreekt" in shown
    assert "'ca. 80' is geen aantal medewerkers; het aantal medewerkers is weggelaten" in shown
    # In English the message stays as written, values and all.
    with translation.override("en"):
        assert [row_messages.in_language(m) for m in messages] == messages


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_dutch_member_reads_the_rows_errors_in_dutch(browser, live_server, tmp_path):
    """The check before confirming, in Dutch: which row, which column, and why, in
    Dutch, for a Windows-1252 list with semicolons."""
    world = build_world()
    ctx = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = ctx.new_page()
    login(page, world.member_a.username)
    (tmp_path / "leveranciers.csv").write_bytes(LIST)
    page.goto("/supply-chain/upload/")
    page.select_option("#id_covenant", str(world.covenant_x.pk))
    page.set_input_files("#id_file", str(tmp_path / "leveranciers.csv"))
    page.click("main button[type=submit]")
    page.wait_for_url("**/supply-chain/lists/*/")
    errors = page.locator("section.preview")
    expect(errors).to_contain_text("Rij 3: Land: het land ontbreekt")
    # An optional field that cannot be read costs the field, not the location,
    # and the member reads that before confirming.
    expect(errors).to_contain_text("Rij 2: Aantal medewerkers: 'ca. 80' is geen aantal medewerkers")
    expect(errors).to_contain_text("Rijen met fouten (niet openbaar gemaakt)5")
    assert "is missing" not in errors.inner_text()
    ctx.close()


def test_the_error_report_gives_its_reasons_in_the_readers_language(client, world):
    import csv
    import io

    from imvo.supplychain import services

    sl = services.upload_list(world.member_a, world.covenant_x, 2025, "leveranciers.csv", LIST)
    client.force_login(world.member_a)
    r = client.get(f"/supply-chain/lists/{sl.pk}/errors.csv", HTTP_ACCEPT_LANGUAGE="nl")
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["row", "column", "problem"]  # a header to read back stays
    problems = {line[2] for line in lines[1:]}
    assert "het land ontbreekt" in problems and "the country is missing" not in problems
