"""The secretariat's narrative in Dutch and English: each edition of the report
(HTML, PDF, API snapshot) carries the text in its own language, and marks the other
language's text as a fallback where its own is missing; the content check lists it."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.test import Client

from imvo.core.translation_check import missing_content
from imvo.reporting.models import PublishedReport, SectionText
from imvo.reporting.services import publication
from imvo.reporting.tests.helpers import pdftotext
from imvo.testing import make_agreement, reports_published_without_pdf

pytestmark = pytest.mark.django_db

DUTCH = "Gestage vooruitgang op de openbaarmaking."
ENGLISH = "Steady progress on disclosure."
DUTCH_ONLY = "Twee leden traden toe."


def narrative(world) -> None:
    """Agreements in both languages; members in Dutch only."""
    make_agreement(world.covenant_x, number="1")
    sec, c = world.secretariat_x, world.covenant_x
    publication.save_section_text(sec, c, 2025, "agreements", nl=DUTCH, en=ENGLISH)
    publication.save_section_text(sec, c, 2025, "members", nl=DUTCH_ONLY, en="")


def test_each_edition_carries_its_language_and_marks_a_missing_one(world, tmp_path):
    narrative(world)
    publication.publish_report(world.secretariat_x, world.covenant_x, 2025)
    editions = {e.language: e for e in PublishedReport.objects.filter(year=2025)}

    dutch = editions["nl"]
    assert DUTCH in dutch.html and DUTCH_ONLY in dutch.html
    assert ENGLISH not in dutch.html and "lang-fallback" not in dutch.html
    dutch_pdf, _pages = pdftotext(bytes(dutch.pdf), tmp_path)
    assert "Gestage vooruitgang" in dutch_pdf and "Steady progress" not in dutch_pdf

    english = editions["en"]
    assert ENGLISH in english.html and DUTCH not in english.html
    # The Dutch-only text, in its own lang and with the visible (NL) marker.
    assert f'<div class="secretariat-text" lang="nl"><p>{DUTCH_ONLY}</p></div>' in english.html
    assert english.html.count('class="lang-fallback"') == 1 and "(NL)</small>" in english.html
    english_pdf, _pages = pdftotext(bytes(english.pdf), tmp_path)
    assert "Twee leden traden toe." in english_pdf and "(NL)" in english_pdf

    members = next(s for s in english.snapshot["sections"] if s["key"] == "members")
    assert (
        members["secretariat_text"],
        members["secretariat_text_lang"],
        members["secretariat_text_fallback"],
    ) == (DUTCH_ONLY, "nl", True)


def test_the_api_snapshot_follows_the_readers_language(world):
    narrative(world)
    with reports_published_without_pdf():  # the API's snapshot is read, not the PDF
        publication.publish_report(world.secretariat_x, world.covenant_x, 2025)

    def agreements_text(language: str) -> tuple[str, str, bool]:
        snap = (Client(HTTP_ACCEPT_LANGUAGE=language).get("/api/reports/covenant-x/2025").json())[
            "snapshot"
        ]
        s = next(s for s in snap["sections"] if s["key"] == "agreements")
        return s["secretariat_text"], s["secretariat_text_lang"], s["secretariat_text_fallback"]

    assert agreements_text("nl") == (DUTCH, "nl", False)
    assert agreements_text("en") == (ENGLISH, "en", False)


def test_the_edit_form_saves_both_languages_clearly_labelled(world):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(world.secretariat_x)
    page = c.get("/reports/covenant-x/2025/draft/").content.decode()
    assert '<label for="text-agreements-nl">Text in Dutch</label>' in page
    assert '<label for="text-agreements-en">Text in English</label>' in page
    r = c.post(
        "/reports/covenant-x/2025/draft/text/",
        {"key": "agreements", "text_nl": f" {DUTCH} ", "text_en": ENGLISH},
    )
    assert r.status_code == 302
    saved = SectionText.objects.get(covenant=world.covenant_x, year=2025, section_key="agreements")
    assert (saved.text_nl, saved.text_en) == (DUTCH, ENGLISH)
    page = c.get("/reports/covenant-x/2025/draft/").content.decode()
    assert f'lang="nl">{DUTCH}</textarea>' in page
    assert f'lang="en">{ENGLISH}</textarea>' in page
    # The Dutch secretariat's preview is the Dutch report.
    preview = Client(HTTP_ACCEPT_LANGUAGE="nl")
    preview.force_login(world.secretariat_x)
    dutch_page = preview.get("/reports/covenant-x/2025/draft/").content.decode()
    body = dutch_page.split('class="preview"')[1]
    assert DUTCH in body and ENGLISH not in body


def test_the_content_check_lists_a_narrative_in_one_language(world):
    narrative(world)
    missing = [(m.model, m.field, m.missing) for m in missing_content()]
    assert missing == [("reporting.SectionText", "text", "en")]
    publication.save_section_text(
        world.secretariat_x, world.covenant_x, 2025, "members", nl=DUTCH_ONLY, en="Two joined."
    )
    assert missing_content() == []


BEFORE = ("reporting", "0001_initial")
MIGRATION = "0002_section_text_in_both_languages"


def test_existing_texts_move_to_the_language_they_were_written_in():
    migration = importlib.import_module(f"imvo.reporting.migrations.{MIGRATION}")
    demo_text = (
        "Disclosure of production locations advanced faster than planned. Progress on a "
        "living wage stays behind the linear path."
    )
    assert migration.written_in(demo_text) == "en"
    assert migration.written_in("De voortgang op een leefbaar loon blijft achter.") == "nl"
    # Nothing to judge by: Dutch, the platform's language.
    assert migration.written_in("OK.") == "nl"


def test_the_migration_keeps_what_was_written(transactional_db):
    """A text from before the two languages is kept, in the language it is in."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from imvo.testing import make_covenant

    c = make_covenant(slug="stone", start_date=date(2024, 1, 1))
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("reporting", "SectionText")
    old.objects.create(covenant_id=c.pk, year=2025, section_key="members", text=ENGLISH)
    old.objects.create(covenant_id=c.pk, year=2025, section_key="agreements", text=DUTCH)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    texts = {t.section_key: (t.text_nl, t.text_en) for t in SectionText.objects.all()}
    assert texts == {"members": ("", ENGLISH), "agreements": (DUTCH, "")}
