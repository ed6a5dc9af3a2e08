"""The regulation pages are fully translated in Dutch (the app's own catalogue)."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.test import Client

from imvo.core.translation_check import recording, untranslated
from imvo.regulation.services import suppliers
from imvo.regulation.tests.helpers import handed_in
from imvo.testing import adhere, make_covenant


def test_regulation_pages_have_no_untranslated_strings_in_dutch(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    handed_in(world)
    food = make_covenant(slug="food-x", sector="food")
    adhere(food, world.company_a)
    req = suppliers.check_create(world.member_a, world.covenant_x, "Dhaka Knit", 300)
    endonyms = {name for _, name in django_settings.LANGUAGES}
    pages = {
        world.member_a: ["/regulation/", "/regulation/c/covenant-x/engagement/",
                         "/regulation/c/food-x/plots/", "/regulation/c/covenant-x/forced-labour/",
                         "/regulation/c/covenant-x/suppliers/"],
        world.secretariat_x: ["/regulation/", "/regulation/c/covenant-x/mapping/"],
        None: [f"/regulation/supplier/{req.token}/"],
    }  # fmt: skip
    missing: dict[str, set[str]] = {}
    for user, urls in pages.items():
        c = Client()
        if user is not None:
            c.force_login(user)
        for url in urls:
            with recording() as seen:
                assert c.get(url, HTTP_ACCEPT_LANGUAGE="nl").status_code == 200, url
                c.post(url, {}, HTTP_ACCEPT_LANGUAGE="nl")  # the error messages too
            if gaps := untranslated(seen, "nl") - endonyms:
                missing[url] = gaps
    assert not missing, f"untranslated in nl: {missing}"


def test_documents_declare_the_readers_language() -> None:
    """The ESRS S2 draft and a CSDDD article's PDF are translated, so their <html lang>
    follows the reader (screen readers and hyphenation in the PDF read it); was "en"."""
    from django.template.loader import render_to_string
    from django.utils import translation

    for template in ("regulation/esrs_s2.html", "regulation/article.html"):
        for lang in ("nl", "en"):
            with translation.override(lang):
                html = render_to_string(template, {"meta": {}, "requirements": [], "points": []})
            assert f'<html lang="{lang}">' in html, (template, lang)


def test_the_legal_texts_are_named_in_the_readers_language(world) -> None:
    """The versions of the law on the pages were English on the Dutch page; the
    exports keep the English stamp, so a remade export stays the same bytes."""
    from imvo.regulation import legal
    from imvo.testing import client_for

    dutch = client_for(world.member_a).get("/regulation/").content.decode()
    assert "Richtlijn (EU) 2024/1760" in dutch and "Directive (EU)" not in dutch
    english = client_for(world.member_a, "en").get("/regulation/").content.decode()
    assert legal.CSDDD in english


def test_the_mapping_names_its_default_datapoints_in_the_readers_language(world) -> None:
    """A default row's label (written in English in `legal.DEFAULT_ROWS`) was English on
    the Dutch mapping page; a row the secretariat wrote itself reads as it wrote it, and
    the record keeps the English label for exports."""
    from imvo.regulation.services import mapping
    from imvo.regulation.services.record import datapoints, frozen_record
    from imvo.testing import client_for

    sub = handed_in(world)
    mapping.check_set_row(
        world.secretariat_x, world.covenant_x, "question:grievance", label="Klachtenkanaal",
        articles="14", esrs="S2-3", oecd_step=6, vsme=True,
    )  # fmt: skip
    dutch = client_for(world.secretariat_x).get("/regulation/c/covenant-x/mapping/")
    page = dutch.content.decode()
    assert "Een SMART-actie voor elk geprioriteerd risico" in page
    assert "A SMART action for every prioritised risk" not in page
    assert "Volwassenheidsniveau, OESO-stap 3" in page
    assert "Klachtenkanaal" in page
    english = client_for(world.secretariat_x, "en").get("/regulation/c/covenant-x/mapping/")
    assert "A SMART action for every prioritised risk" in english.content.decode()
    points = {p.key: p for p in datapoints(frozen_record(world.member_a, sub.pk))}
    assert points["question:smart-actions"].label == "A SMART action for every prioritised risk"
