"""A new edition of a published report changes what the public reads (the report
and the dashboard's sector risk, T47), and was published on one click with no word
of what changed: the secretariat now confirms after reading, section by section,
each public figure that moves (docs/security.md T53)."""

from __future__ import annotations

from typing import Any

import pytest

from imvo.accounts.testing import make_user
from imvo.reporting.models import PublishedReport
from imvo.reporting.services.changes import edition_changes
from imvo.reporting.tests.test_pages import client_for
from imvo.risk import services
from imvo.supplychain.models import DisclosurePolicy
from imvo.testing import adhere, make_org, reports_published_without_pdf


def _company(covenant: Any, name: str) -> tuple[Any, Any]:
    org = make_org(name)
    adhere(covenant, org)
    user = make_user(organisation=org)
    services.add_sourcing(user, org, "BD", "garment", "Shirts", workers=100)
    return user, org


@pytest.mark.django_db
def test_a_new_edition_says_what_it_changes_before_it_is_published(world) -> None:
    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    user, alpha = _company(world.covenant_x, "Alpha")
    _company(world.covenant_x, "Bravo")
    _company(world.covenant_x, "Charlie")
    url = f"/reports/{world.covenant_x.slug}/2025/publish/"
    c = client_for(world.secretariat_x)
    with reports_published_without_pdf():
        first = c.post(url)  # the first edition: nothing public to change yet
        assert first.status_code == 302
        services.add_sourcing(user, alpha, "BD", "garment", "Trousers", workers=80)
        page = c.post(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert "This will change the public figures of version 1" in text
        assert "Sourcing rows scanned: 3 → 4" in text
        assert 'name="confirm" value="1"' in text and "Publish version 2" in text
        assert not PublishedReport.objects.filter(version=2).exists()
        done = c.post(url, {"confirm": "1"})
        assert done.status_code == 302 and done["Location"] == "/reports/covenant-x/2025/"
    assert PublishedReport.objects.filter(covenant=world.covenant_x, version=2).count() == 2
    # Nothing changed since: it says so, and still asks.
    with reports_published_without_pdf():
        again = c.post(url).content.decode()
    assert "The public figures stay as in version 2" in again


def test_the_changes_name_figures_tables_charts_and_sections() -> None:
    old = {
        "sections": [
            {
                "key": "risk",
                "title": "Sector risk",
                "text": "a",
                "figures": [{"label": "Rows", "value": 6, "unit": ""}],
                "tables": [{"caption": "Where", "header": [], "rows": [["BD", 50.0]]}],
                "charts": [],
            },
            {"key": "gone", "title": "Old section"},
        ]
    }
    new = {
        "sections": [
            {
                "key": "risk",
                "title": "Sector risk",
                "text": "a",
                "figures": [{"label": "Rows", "value": 7, "unit": ""}],
                "tables": [{"caption": "Where", "header": [], "rows": [["BD", 57.1]]}],
                "charts": [{"type": "bar", "title": "Mean"}],
            },
            {"key": "new", "title": "New one"},
        ]
    }
    found = {(ch.section, ch.what) for ch in edition_changes(old, new)}
    assert found == {
        ("Sector risk", "Rows: 6 → 7"),
        ("Sector risk", "Table “Where”: changed"),
        ("Sector risk", "Chart “Mean”: new"),
        ("New one", "New section"),
        ("Old section", "Section no longer in the report"),
    }
