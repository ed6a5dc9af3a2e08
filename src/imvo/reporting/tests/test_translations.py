"""Every reporting page is fully translated in Dutch (the platform's default language)."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from imvo.core.testing import one_page_pdf
from imvo.core.translation_check import recording, untranslated
from imvo.library import services as learning
from imvo.reporting.services import publication
from imvo.reporting.tests.helpers import reporting_covenant
from imvo.testing import reports_published_without_pdf

pytestmark = pytest.mark.django_db


def dutch_gaps(client: Client, urls: list[str]) -> dict[str, set[str]]:
    """The strings each page shows untranslated in Dutch (language names excepted:
    they are shown in their own language)."""
    ignore = {name for _, name in settings.LANGUAGES}
    missing: dict[str, set[str]] = {}
    for url in urls:
        with recording() as seen:
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="nl").status_code == 200, url
        if gaps := untranslated(seen, "nl") - ignore:
            missing[url] = gaps
    return missing


def test_reporting_pages_have_no_untranslated_dutch_strings(world, settings_media):
    from imvo.reporting.tests.helpers import measure
    from imvo.testing import make_agreement

    c = world.covenant_x
    a = make_agreement(c, number="1")
    measure(a, date(2025, 3, 31), "40")
    with reports_published_without_pdf():  # the pages are checked, not the PDF
        edition = publication.publish_report(world.secretariat_x, c, 2025)
    item = learning.publish_learning_item(
        world.member_a,
        c,
        "Guide",
        "Text",
        attachments=[learning.Upload("g.pdf", one_page_pdf())],
    )
    reporting_covenant()
    public = [
        "/reports/",
        "/reports/dashboard/",
        f"/reports/dashboard/{c.slug}/",
        f"/reports/{c.slug}/2025/",
        f"/reports/{c.slug}/2025/v{edition.version}/",
        "/reports/library/",
        "/reports/library/?q=guide",
        f"/reports/library/{item.pk}/",
        "/reports/open-data/",
    ]
    signed_in = [
        f"/reports/{c.slug}/2025/draft/",
        "/reports/library/new/",
    ]
    client = Client()
    missing = dutch_gaps(client, public)
    client.force_login(world.secretariat_x)
    missing |= dutch_gaps(client, signed_in)
    assert not missing, f"untranslated in nl: {missing}"
