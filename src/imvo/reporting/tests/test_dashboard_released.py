"""Hostile review 5 (docs/security.md, T47): the public dashboard computed the
sector risk from today's data, so whoever kept yesterday's page read what one
member changed from the difference (its rows per country, from "Sourcing rows
scanned" and the shares), where the public list releases changes only in
batches of K members. The dashboard shows the section as the latest published
report froze it: a change shows when the secretariat publishes."""

from __future__ import annotations

from typing import Any

import pytest

from imvo.accounts.testing import make_user
from imvo.reporting.services.publication import publish_report
from imvo.risk import services
from imvo.supplychain.models import DisclosurePolicy
from imvo.testing import adhere, make_org


def _company(covenant: Any, name: str) -> tuple[Any, Any]:
    org = make_org(name)
    adhere(covenant, org)
    user = make_user(organisation=org)
    for country in ("BD", "CN"):
        services.add_sourcing(user, org, country, "garment", "Shirts", workers=100)
    return user, org


def _risk_section(client: Any, covenant: Any) -> str:
    page = client.get(
        f"/reports/dashboard/{covenant.slug}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    start = page.find('id="s-risk-sector"')
    return page[start : page.find("</section>", start)] if start >= 0 else ""


@pytest.mark.django_db
def test_the_dashboard_does_not_show_one_members_change_the_day_it_is_made(client, world) -> None:
    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    user, alpha = _company(world.covenant_x, "Alpha")
    _company(world.covenant_x, "Bravo")
    _company(world.covenant_x, "Charlie")
    before = _risk_section(client, world.covenant_x)
    # Before the fix: BD 50.0 % -> 57.1 %, one row more scanned: Alpha's new row.
    services.add_sourcing(user, alpha, "BD", "garment", "Trousers", workers=80)
    assert _risk_section(client, world.covenant_x) == before
    publish_report(world.secretariat_x, world.covenant_x, 2025)
    published = _risk_section(client, world.covenant_x)
    assert "Sourcing rows scanned" in published and ">7<" in published
    assert "2025 progress report (version 1)" in published
    services.add_sourcing(user, alpha, "CN", "garment", "Jackets", workers=80)
    assert _risk_section(client, world.covenant_x) == published
