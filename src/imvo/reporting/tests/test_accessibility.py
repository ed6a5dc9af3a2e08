"""WCAG 2.2 AA checked by axe-core in Debian's chromium, on the reporting pages."""

from __future__ import annotations

from datetime import date

import pytest

from imvo.core.testing import assert_accessible, login
from imvo.library import services as learning
from imvo.reporting.services import publication
from imvo.reporting.tests.helpers import measure
from imvo.testing import make_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reporting_pages_have_no_axe_violations(page, world, settings_media):
    a = make_agreement(world.covenant_x, number="1")
    measure(a, date(2025, 3, 31), "40")
    publication.publish_report(world.secretariat_x, world.covenant_x, 2025)
    item = learning.publish_learning_item(world.member_a, world.covenant_x, "Guide", "Text")
    for url in [
        "/reports/",
        "/reports/dashboard/",
        "/reports/dashboard/covenant-x/",
        "/reports/covenant-x/2025/",
        "/reports/library/",
        f"/reports/library/{item.pk}/",
        "/reports/open-data/",
    ]:
        page.goto(url)
        assert_accessible(page)
    login(page, "secretariat_x")
    for url in ["/reports/covenant-x/2025/draft/", "/reports/library/new/"]:
        page.goto(url)
        assert_accessible(page)
