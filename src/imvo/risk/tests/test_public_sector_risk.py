"""The risk section of the public dashboard and yearly report holds the disclosure
rule (K, the covenant's `DisclosurePolicy.min_members`): found by the audit, one
member's hand-entered sourcing showed on the public dashboard as its row count and
its theme scores (from which its countries can be read back), and a country one
member sources in was named among the "countries where sourcing concentrates"."""

from __future__ import annotations

from typing import Any

import pytest

from imvo.accounts.testing import make_user
from imvo.core.countries import display_name as country_name
from imvo.risk import services
from imvo.risk.report import report_sections
from imvo.supplychain.models import DisclosurePolicy
from imvo.testing import adhere, make_org


def _company(covenant: Any, name: str, countries: list[str]) -> None:
    org = make_org(name)
    adhere(covenant, org)
    user = make_user(organisation=org)
    for country in countries:
        services.add_sourcing(user, org, country, "garment", "Shirts", workers=100)


@pytest.mark.django_db
def test_one_members_sourcing_gives_no_public_figure(client, world) -> None:
    services.add_sourcing(world.member_a, world.company_a, "MM", "garment", "Shirts")
    services.add_sourcing(world.member_a, world.company_a, "KP", "garment", "Shirts")
    [section] = [s.as_dict("risk") for s in report_sections(world.covenant_x, 2025)]
    assert [f["value"] for f in section["figures"]] == [1]  # the member count only
    assert section["tables"] == [] and section["charts"] == []
    assert "fewer than 5 members" in section["text"]
    page = client.get(f"/reports/dashboard/{world.covenant_x.slug}/").content.decode()
    assert "Sourcing rows scanned" not in page and "Mean inherent risk" not in page
    assert "Myanmar" not in page and "MM" not in page


@pytest.mark.django_db
def test_a_country_fewer_than_k_members_source_in_is_never_named(world) -> None:
    """K = 3. Bangladesh, China and Türkiye have three members each; Myanmar and
    Viet Nam one each. The two folded countries rest on two members only, so the
    smallest named country joins them: the "other countries" share rests on K."""
    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    _company(world.covenant_x, "Alpha", ["BD", "CN", "MM"])
    _company(world.covenant_x, "Bravo", ["BD", "CN", "TR"])
    _company(world.covenant_x, "Charlie", ["BD", "TR"])
    _company(world.covenant_x, "Delta", ["CN", "TR", "VN"])
    [section] = [s.as_dict("risk") for s in report_sections(world.covenant_x, 2025)]
    [where] = [t for t in section["tables"] if "concentrates" in t["caption"]]
    named = [row[0] for row in where["rows"]]
    assert named[:2] == ["Bangladesh", "China"] and len(named) == 3  # named, not coded
    assert named[2].startswith("Other countries (fewer than 3 members each)")
    assert where["rows"][2][1] == pytest.approx(100 * 5 / 11, abs=0.1)  # TR, MM, VN rows
    [heat] = [c for c in section["charts"] if c["type"] == "heatmap"]
    assert set(heat["rows"]) == {"Bangladesh", "China"}
    assert "Bangladesh (" in section["text"]
    for code in ("MM", "VN", "TR"):
        assert code not in section["text"]
        assert country_name(code) not in section["text"]
