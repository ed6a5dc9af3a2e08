"""The sector risk analysis is a tool of the covenant's union, NGO, government and
branch parties too (issue 17), shown to them only with enough members behind it."""

from __future__ import annotations

import pytest

from imvo.accounts.testing import make_user
from imvo.risk import services
from imvo.risk.models import PartyRelease
from imvo.supplychain.models import DisclosurePolicy
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

    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    for i in range(2):
        org = make_org(f"Company {i}")
        adhere(world.covenant_x, org)
        services.add_sourcing(make_user(f"m{i}", org), org, "Bangladesh", "garment", "Shirts")
    # The first release showed nothing of members' sourcing: the next is made at once.
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


def _sourcing(org, user, countries: list[str]) -> None:
    for country in countries:
        services.add_sourcing(user, org, country, "garment", "Shirts", workers=100)


def test_one_members_change_reaches_parties_only_with_k_members_changes(world):
    """T51: the parties' page showed today's figures, so a union comparing the page
    from one day to the next read what one member added. Parties read a release now,
    made again once K members' sourcing changed; the secretariat reads live."""
    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    union = make_org("FNV", type="union")
    adhere(world.covenant_x, union)
    fnv = client_for(make_user("fnv", union), "en")
    secretariat = client_for(world.secretariat_x, "en")
    url = f"/risk/covenant/{world.covenant_x.slug}/"
    members = [(world.company_a, world.member_a), (world.company_b, world.member_b)]
    org = make_org("Company D")
    adhere(world.covenant_x, org)
    members.append((org, make_user("member_d", org)))
    for org, user in members:
        _sourcing(org, user, ["BD", "CN"])
    assert "3 member companies (6 rows)" in fnv.get(url).content.decode()

    _sourcing(world.company_a, world.member_a, ["BD"])  # one member adds a row today
    today = fnv.get(url).content.decode()
    assert "(6 rows)" in today and "(7 rows)" not in today
    live = secretariat.get(url).content.decode()
    assert "(7 rows)" in live
    assert "the sourcing of 1 member company changed" in live
    assert "at least 3 have" in live

    _sourcing(world.company_b, world.member_b, ["BD"])
    assert "(6 rows)" in fnv.get(url).content.decode()  # two of three: still held
    _sourcing(members[2][0], members[2][1], ["CN"])
    later = fnv.get(url).content.decode()
    assert "(9 rows)" in later and "Figures as released on" in later
    assert "the sourcing of 0 member companies changed" in secretariat.get(url).content.decode()


def _union_and_three_members(world, d: list[str], a: list[str], b: list[str]):
    """A union party of X (K = 3) and three members sourcing in those countries."""
    union = make_org("FNV", type="union")
    adhere(world.covenant_x, union)
    DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=3)
    org = make_org("Company D")
    adhere(world.covenant_x, org)
    _sourcing(org, make_user("member_d", org), d)
    _sourcing(world.company_a, world.member_a, a)
    _sourcing(world.company_b, world.member_b, b)
    return make_user("fnv", union), f"/risk/covenant/{world.covenant_x.slug}/"


def test_a_release_is_read_in_the_readers_language(world):
    fnv, url = _union_and_three_members(world, ["BD"], ["BD"], ["BD"])
    assert "Child labour" in client_for(fnv, "en").get(url).content.decode()
    assert "Kinderarbeid" in client_for(fnv, "nl").get(url).content.decode()
    assert PartyRelease.objects.count() == 1


def test_a_release_is_read_in_a_language_it_was_not_frozen_in(world):
    """The release held a page per full language (nl, en); a reader in French got
    whichever came first, Dutch or English by the database's key order, among
    French headings. The figures stay frozen; the words are the reader's
    (theme names, the heatmap's columns and countries, the folded row)."""
    fnv, url = _union_and_three_members(world, ["BD", "CN"], ["BD", "CN"], ["BD", "MM"])
    dutch = client_for(fnv, "nl").get(url).content.decode()
    assert "Dwangarbeid" in dutch and "Overige landen (elk minder dan 3 leden)" in dutch
    french = client_for(fnv, "fr").get(url).content.decode()
    assert "Travail forcé" in french  # the theme, in the heatmap's columns too
    assert "Dwangarbeid" not in french and "Forced labour" not in french
    assert PartyRelease.objects.count() == 1


def test_a_renamed_supplier_does_not_count_as_a_members_change(db):
    """A member correcting a supplier's name (or writing "Bangladesh" for "BD") moves
    none of the parties' figures; it counted towards K, so with K-1 such corrections
    one member's new row was released alone (T83). What a row adds to the figures
    (its country, sector, product, workers) still counts."""
    from imvo.risk.scan import SourcingRow
    from imvo.risk.services import scan_records, sourcing_fingerprint

    def fingerprint(name: str, country: str, workers: int) -> str:
        row = SourcingRow("r1", name, country, "garment", "Shirts", workers)
        return sourcing_fingerprint(scan_records([row]))

    first = fingerprint("Dhaka Knit", "BD", 100)
    assert fingerprint("Dhaka Knit Ltd.", "Bangladesh", 100) == first
    assert fingerprint("Dhaka Knit", "BD", 120) != first
    assert fingerprint("Dhaka Knit", "CN", 100) != first


def test_a_release_made_before_the_new_digest_is_compared_by_the_former_one(db):
    """Otherwise every member counts as changed once, and the next release shows at
    once what fewer than K members changed since the last."""
    from imvo.risk.models import PartyRelease
    from imvo.risk.party_release import changed_members
    from imvo.risk.scan import SourcingRow
    from imvo.risk.services import former_fingerprint, scan_records, sourcing_fingerprint

    scan = scan_records([SourcingRow("r1", "Dhaka Knit", "BD", "garment", "Shirts", 100)])
    other = scan_records([SourcingRow("r1", "Dhaka Knit", "BD", "garment", "Shirts", 90)])
    old = PartyRelease(members={"1": former_fingerprint(scan), "2": former_fingerprint(scan)})
    now = {"1": sourcing_fingerprint(scan), "2": sourcing_fingerprint(other)}
    former = {"1": former_fingerprint(scan), "2": former_fingerprint(other)}
    assert changed_members(old, now, former) == 1
    assert changed_members(PartyRelease(members=now), now, former) == 0
