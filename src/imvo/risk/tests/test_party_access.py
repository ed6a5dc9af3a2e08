"""The sector risk analysis is a tool of the covenant's union, NGO, government and
branch parties too (issue 17), shown to them only with enough members behind it."""

from __future__ import annotations

import pytest

from imvo.accounts.testing import make_user
from imvo.risk import services
from imvo.testing import adhere, client_for, make_org

pytestmark = pytest.mark.django_db


def test_union_reads_the_analysis_only_with_enough_members_behind_it(world):
    union = make_org("FNV", type="union")
    adhere(world.covenant_x, union)
    fnv = make_user("fnv", union)
    url = f"/risk/covenant/{world.covenant_x.slug}/"
    services.add_sourcing(world.member_a, world.company_a, "Bangladesh", "garment", "Shirts")
    page = client_for(fnv, "en").get(url)
    assert page.status_code == 200
    assert "at least 5 member companies" in page.content.decode()  # K, the covenant's rule
    assert "Bangladesh" not in page.content.decode()  # one member's sourcing stays unread
    from imvo.accounts.models import User
    from imvo.covenants.models import Organisation
    from imvo.supplychain.models import DisclosurePolicy

    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    for i in range(2):
        org = make_org(f"Company {i}")
        adhere(world.covenant_x, org)
        services.add_sourcing(make_user(f"m{i}", org), org, "Bangladesh", "garment", "Shirts")
    page = client_for(fnv, "en").get(url)
    assert "Where the sector" in page.content.decode()
    # Found by the audit: a country only one member sources in was listed with its
    # rows and workers, in the heatmap and among the themes' drivers.
    # (Two countries of three members: with one, the folded row would rest on one.)
    services.add_sourcing(world.member_a, world.company_a, "China", "garment", "Shirts")
    for i in range(2):
        org = Organisation.objects.get(name=f"Company {i}")
        services.add_sourcing(User.objects.get(username=f"m{i}"), org, "China", "garment", "Shirts")
    services.add_sourcing(world.member_a, world.company_a, "Myanmar", "garment", "Jackets", 700)
    text = client_for(fnv, "en").get(url).content.decode()
    assert "Bangladesh" in text and "Other countries (fewer than 3 members each)" in text
    assert "Myanmar" not in text and ">MM<" not in text and "MM /" not in text
    # A company has its own scan; another covenant's union does not get in.
    assert client_for(world.member_a, "en").get(url).status_code == 404
    other = make_org("CNV", type="union")
    adhere(world.covenant_y, other)
    assert client_for(make_user("cnv", other), "en").get(url).status_code == 404
