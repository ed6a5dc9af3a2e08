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
