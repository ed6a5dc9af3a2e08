"""The publication rule on every public surface (publication.py, docs/supplychain.md):
a year is public only when published and disclosed by at least K members; a filter
or search narrowing to fewer than K members shows nothing; only sourcing members
disclose. Each test here would fail if one member's list could be read publicly."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from imvo.accounts.models import ApiToken
from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, Covenant
from imvo.supplychain import public as pub
from imvo.supplychain import publication, services
from imvo.supplychain.models import (
    DisclosurePolicy,
    Facility,
    Match,
    PublicLocation,
    PublicLocationMember,
    PublishedYear,
    SupplierList,
)
from imvo.supplychain.report import report_sections
from imvo.supplychain.tests.helpers import REGISTRY, csv_bytes, make_registry
from imvo.supplychain.tests.test_services import YEAR
from imvo.testing import adhere, make_org

DHAKA, SAIGON, ANATOLIA = (list(r) for r in REGISTRY[:3])


@pytest.fixture
def registry(db):
    return make_registry()


def _member(covenant: Any, name: str, type: str = "company") -> Any:
    org = make_org(name, type=type)
    adhere(covenant, org)
    return make_user(organisation=org)


def _disclose(user: Any, covenant: Any, rows: list[list[str]], year: int = YEAR) -> SupplierList:
    sl = services.upload_list(user, covenant, year, "list.csv", csv_bytes(rows))
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error
    return sl


@pytest.fixture
def five(world, registry) -> list[Any]:
    """Five members of covenant X (K = 5, the default): four source in Dhaka and
    Saigon, the fifth in Dhaka and, alone, in Anatolia (Türkiye)."""
    users = [world.member_a, world.member_b] + [
        _member(world.covenant_x, f"Member {n}") for n in range(3, 6)
    ]
    for user in users[:4]:
        _disclose(user, world.covenant_x, [DHAKA, SAIGON])
    _disclose(users[4], world.covenant_x, [DHAKA, ANATOLIA])
    return users


def _page(client: Any, world: Any, query: str = "") -> str:
    return client.get(f"/supply-chain/public/{world.covenant_x.slug}/?{query}").content.decode()


def _api(client: Any, world: Any, query: str = "") -> list[dict[str, Any]]:
    r = client.get(f"/api/public/production-locations/{world.covenant_x.slug}?{query}")
    assert r.status_code == 200
    return r.json()


def _downloads(client: Any, world: Any, query: str = "") -> list[str]:
    """The text of the CSV, JSON and XLSX downloads (XLSX: its shared strings)."""
    import zipfile

    base = f"/supply-chain/public/{world.covenant_x.slug}/?{query}&format="
    texts = [client.get(base + "csv").content.decode(), client.get(base + "json").content.decode()]
    with zipfile.ZipFile(io.BytesIO(client.get(base + "xlsx").content)) as z:
        texts.append("".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/")))
    return texts


def test_k_defaults_to_five_and_never_goes_below_three(world) -> None:
    assert publication.policy_for(world.covenant_x).min_members == 5
    with pytest.raises(DomainError):
        publication.set_min_members(world.secretariat_x, world.covenant_x, 2)
    with pytest.raises(PermissionDeniedError):
        publication.set_min_members(world.member_a, world.covenant_x, 7)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosurePolicy.objects.create(covenant=world.covenant_x, min_members=1)
    publication.set_min_members(world.secretariat_x, world.covenant_x, 7)
    assert publication.policy_for(world.covenant_x).min_members == 7


def test_one_members_list_never_appears_on_any_public_surface(client, world, registry) -> None:
    _disclose(world.member_a, world.covenant_x, [DHAKA, SAIGON, ANATOLIA])
    refusal = f"^1 member has disclosed their production locations for {YEAR}; at least 5"
    with pytest.raises(DomainError, match=refusal):
        publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    # Even a publication decision written behind the service's back shows nothing.
    PublishedYear.objects.create(covenant=world.covenant_x, year=YEAR)
    assert publication.public_years(world.covenant_x) == []
    page = _page(client, world)
    assert "Dhaka" not in page and "Saigon" not in page
    assert f"The list for {YEAR} is not public yet: 1 member has disclosed" in page
    assert _page(client, world, f"year={YEAR}").count("Saigon") == 0
    assert _api(client, world) == [] and _api(client, world, f"year={YEAR}") == []
    for text in _downloads(client, world, f"year={YEAR}"):
        assert "Dhaka" not in text and "Saigon" not in text
    assert report_sections(world.covenant_x, YEAR) == []
    assert pub.public_facility_search("Dhaka Knit") == []
    assert pub.public_facets(world.covenant_x, YEAR) == ([], [])


def test_a_year_is_public_once_published_with_k_members(client, world, five) -> None:
    assert _api(client, world) == []  # five members, not published
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    names = {f["name"] for f in _api(client, world)}
    assert names == {DHAKA[0], SAIGON[0], ANATOLIA[0]}
    assert "Dhaka Knit Composite Ltd" in _page(client, world)
    # Withdrawn: gone again.
    publication.withdraw_year(world.secretariat_x, world.covenant_x, YEAR)
    assert _api(client, world) == []


FILTERS = [
    ("country=TR", ANATOLIA[0]),  # one member in Türkiye
    ("country=VN", SAIGON[0]),  # four members in Viet Nam
    ("q=anatolia", ANATOLIA[0]),
    ("q=saigon", SAIGON[0]),
    ("sector=Apparel&q=tekstil", ANATOLIA[0]),
]


@pytest.mark.parametrize(("query", "hidden"), FILTERS)
def test_a_filter_that_narrows_below_k_members_shows_nothing(
    client, world, five, query: str, hidden: str
) -> None:
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    page = _page(client, world, query)
    assert hidden not in page and "Fewer than 5 members disclosed" in page
    assert _api(client, world, query) == []
    # Past the end too (there the last page is read from the end, with the K check).
    page = _page(client, world, query + "&page=3")
    assert hidden not in page and "Fewer than 5 members disclosed" in page
    assert _api(client, world, query + "&page=2") == []
    for text in _downloads(client, world, query):
        assert hidden not in text
    # Five members in Bangladesh: that filter is shown.
    assert [f["name"] for f in _api(client, world, "country=BD")] == [DHAKA[0]]
    assert DHAKA[0] in _page(client, world, "q=dhaka")


def test_no_filter_or_search_can_single_out_fewer_than_k_members(client, world, five) -> None:
    """Every country, sector and name word: whatever is shown was disclosed by >= K members."""
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    k = publication.policy_for(world.covenant_x).min_members
    links = publication.current_links(world.covenant_x, YEAR)
    members_at: dict[int, set[int]] = {}
    for fid, org in links.values_list("facility_id", "row__supplier_list__organisation_id"):
        members_at.setdefault(fid, set()).add(org)
    facilities = pub.public_facility_list(world.covenant_x, YEAR)
    words = {w for f in facilities for w in f["name"].lower().replace(".", " ").split()}
    queries = [f"country={f['country']}" for f in facilities] + [
        f"sector={f['sector']}" for f in facilities
    ]
    queries += [f"q={w}" for w in words]
    shown_any = False
    for query in queries:
        shown = _api(client, world, query)
        members = set().union(*(members_at[f["id"]] for f in shown)) if shown else set()
        assert not shown or len(members) >= k, (query, shown)
        shown_any = shown_any or bool(shown)
    assert shown_any  # the test would catch a leak: some filters do show rows


def test_a_newer_unpublished_year_does_not_replace_the_public_one(client, world, five) -> None:
    """Found by hand: one company's upload for a new year became the public default."""
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    _disclose(world.member_a, world.covenant_x, [ANATOLIA], year=YEAR + 1)
    assert publication.public_year(world.covenant_x) == YEAR
    assert publication.public_year(world.covenant_x, YEAR + 1) == YEAR
    assert {f["name"] for f in _api(client, world, f"year={YEAR + 1}")} == set()
    page = _page(client, world, f"year={YEAR + 1}")
    assert f"The list for {YEAR + 1} is not public yet: 1 member has disclosed" in page
    assert f"Production locations {YEAR}" in page


def test_the_next_year_notice_names_the_newest_year_not_public_yet(world, five) -> None:
    """What the public page says it waits for (next_year_status reads only years
    newer than the newest public one): an older year's list changes nothing."""
    c = world.covenant_x
    assert publication.next_year_status(c) == publication.YearStatus(YEAR, 5, 5, False, 0)
    publication.publish_year(world.secretariat_x, c, YEAR)
    assert publication.next_year_status(c) is None
    _disclose(world.member_b, c, [SAIGON], year=YEAR - 1)
    assert publication.next_year_status(c) is None
    _disclose(world.member_a, c, [ANATOLIA], year=YEAR + 1)
    assert publication.next_year_status(c) == publication.YearStatus(YEAR + 1, 1, 5, False, 0)
    # A newer year published behind the service's back with no snapshot: named, not public.
    PublishedYear.objects.create(covenant=c, year=YEAR + 2)
    assert publication.next_year_status(c) == publication.YearStatus(YEAR + 2, 0, 5, True, 0)


def test_the_publication_state_is_one_query_that_follows_the_policy(world, five, settings) -> None:
    """Every public answer starts with the publication state (K, who discloses,
    the snapshots): one query, with or without a policy row or published years."""
    settings.IMVO_PUBLIC_CACHE_SECONDS = 0  # every read computed, as the benchmark runs
    c = world.covenant_x

    def state() -> publication.PublicState:
        with CaptureQueriesContext(connection) as ctx:
            result = publication.public_state(c)
        assert len(ctx) == 1
        return result

    assert state() == publication.PublicState(
        5, ("company",), {}
    )  # no policy row, nothing published
    publication.publish_year(world.secretariat_x, c, YEAR)
    published = PublishedYear.objects.get(covenant=c, year=YEAR)
    snap = publication.Snapshot(published.pk, 5, 3, ("BD", "TR", "VN"), ("Apparel",))
    assert state() == publication.PublicState(5, ("company",), {YEAR: snap})
    DisclosurePolicy.objects.update_or_create(
        covenant=c, defaults={"min_members": 6, "branch_organisations_disclose": True}
    )
    assert state() == publication.PublicState(6, ("company", "branch"), {YEAR: snap})
    assert state().years == []  # five members behind the snapshot, K = 6
    PublishedYear.objects.create(covenant=c, year=YEAR + 1)
    assert state().snapshots[YEAR + 1] == publication.Snapshot(
        PublishedYear.objects.get(covenant=c, year=YEAR + 1).pk, 0
    )


def test_the_covenant_and_its_state_are_read_together_as_apart(world, five, settings) -> None:
    """A public answer reads the covenant and its publication state in one statement
    with the cache off (publication.public_covenant): the same covenant, field by
    field, and the same state as visible_covenant and public_state read apart;
    nothing for a slug that names no covenant."""
    from django.contrib.auth.models import AnonymousUser

    from imvo.covenants.services import visible_covenant

    c = world.covenant_x
    publication.publish_year(world.secretariat_x, c, YEAR)
    DisclosurePolicy.objects.update_or_create(covenant=c, defaults={"min_members": 5})
    anonymous = AnonymousUser()
    for seconds in (0, 60):  # with the cache on, as apart
        settings.IMVO_PUBLIC_CACHE_SECONDS = seconds
        with CaptureQueriesContext(connection) as ctx:
            found = publication.public_covenant(anonymous, c.slug)
        assert found is not None
        if seconds == 0:
            assert len(ctx) == 1
        covenant, state = found
        alone = visible_covenant(anonymous, c.slug)
        assert alone is not None
        for f in Covenant._meta.concrete_fields:
            assert getattr(covenant, f.attname) == getattr(alone, f.attname), f.name
        assert state == publication.public_state(alone)
        assert state.years == [YEAR]
        assert publication.public_covenant(anonymous, "no-such-covenant") is None
        assert publication.public_covenant(anonymous, "x\x00") is None


def test_report_names_only_countries_with_k_members(world, five) -> None:
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    (section,) = [s.as_dict("supplychain") for s in report_sections(world.covenant_x, YEAR)]
    (table,) = section["tables"]
    rows = {r[0]: r[1] for r in table["rows"]}
    assert rows == {"Bangladesh": 1, "Other countries (fewer than 5 members each)": 2}
    assert "Türkiye" not in json.dumps(section, ensure_ascii=False)


def test_the_folded_countries_rest_on_k_members_too(client, world, five) -> None:
    """With K = 4, Türkiye (one member) is folded; alone it would make 'Other
    countries' one member's count (and the total minus the named rows gives it
    away), so the smallest named country joins it."""
    publication.set_min_members(world.secretariat_x, world.covenant_x, 4)
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    (section,) = [s.as_dict("supplychain") for s in report_sections(world.covenant_x, YEAR)]
    (table,) = section["tables"]
    rows = {r[0]: r[1] for r in table["rows"]}
    assert rows == {"Bangladesh": 1, "Other countries (fewer than 4 members each)": 2}
    shown, other, k = pub.countries(world.covenant_x, YEAR)
    assert [c.code for c in shown] == ["BD"] and other == 2 and k == 4


def test_consenting_member_is_named(client, world, five) -> None:
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    Adherence.objects.filter(organisation=world.company_a).update(consent_to_be_named=True)
    by_name = {f["name"]: f for f in _api(client, world)}
    assert by_name[DHAKA[0]]["named_members"] == ["Company A"]
    assert by_name[ANATOLIA[0]]["named_members"] == []


def _reject(user: Any, facility_name: str) -> None:
    """The member's own decision: its row is not that facility after all."""
    for match in Match.objects.filter(
        row__supplier_list__organisation=user.organisation, facility__name=facility_name
    ):
        match.status = Match.Status.REJECTED
        match.save()


def _public_answers(client: Any, world: Any) -> list[str]:
    """What the public gets of the whole list: the API's JSON and the downloads."""
    api = client.get(f"/api/public/production-locations/{world.covenant_x.slug}").content
    return [api.decode(), *_downloads(client, world)]


def test_one_members_change_waits_until_k_members_changed(client, world, five) -> None:
    """A differencing attack: whoever keeps yesterday's public list and compares
    it with today's must not read what one member changed. Each of five members
    (K = 5) drops the Dhaka factory in turn: after each of the first four the
    public answers are byte for byte what they were and the publication page
    counts the changes waiting; the fifth change releases all of them at once."""
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    before = _public_answers(client, world)
    assert DHAKA[0] in before[0]
    published = PublishedYear.objects.get(covenant=world.covenant_x, year=YEAR)
    for n, user in enumerate(five[:4], 1):
        _reject(user, DHAKA[0])
        assert _public_answers(client, world) == before, n
        published.refresh_from_db()
        assert published.waiting == n
    client.force_login(world.secretariat_x)
    page = client.get(
        f"/supply-chain/publication/{world.covenant_x.slug}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The changes of 4 members are not on the public list yet" in page
    client.logout()
    _reject(five[4], DHAKA[0])
    after = _public_answers(client, world)
    assert DHAKA[0] not in after[0] and SAIGON[0] in after[0]
    published.refresh_from_db()
    assert published.waiting == 0


def test_a_year_back_at_k_members_after_a_gap_shows_no_one_members_change(
    client, world, five
) -> None:
    """The differencing attack across a gap: one member's withdrawal takes the
    year below K (off the public pages); while it is off, that member changes its
    list. When it is back at K, the public answers are byte for byte those before
    the gap: the one member's change waits for K changes like any other."""
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    before = _public_answers(client, world)
    published = PublishedYear.objects.get(covenant=world.covenant_x, year=YEAR)
    withdrawn = list(
        Match.objects.filter(row__supplier_list__organisation=five[4].organisation).exclude(
            status=Match.Status.REJECTED
        )
    )
    for match in withdrawn:  # the fifth member's list no longer links anything
        match.status = Match.Status.REJECTED
        match.save()
    assert publication.public_years(world.covenant_x) == []
    assert DHAKA[0] not in _public_answers(client, world)[0]
    # Back, without Anatolia: the member's one change while the year was off.
    for match in withdrawn:
        if match.facility is not None and match.facility.name == DHAKA[0]:
            match.status = Match.Status.CONFIRMED
            match.save()
    assert publication.public_years(world.covenant_x) == [YEAR]
    assert _public_answers(client, world) == before
    published.refresh_from_db()
    assert (published.members, published.waiting) == (5, 1)
    # Four more members' changes release all five at once.
    for user in five[:4]:
        _reject(user, SAIGON[0])
    after = _public_answers(client, world)
    assert ANATOLIA[0] not in after[0] and SAIGON[0] not in after[0] and DHAKA[0] in after[0]


def test_the_secretariat_publishing_again_shows_waiting_changes(client, world, five) -> None:
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    _reject(five[4], ANATOLIA[0])  # the only member in Anatolia
    assert ANATOLIA[0] in _public_answers(client, world)[0]
    client.force_login(world.secretariat_x)
    url = f"/supply-chain/publication/{world.covenant_x.slug}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The change of 1 member is not on the public list yet" in page
    client.post(url, {"action": "publish", "year": YEAR})
    assert ANATOLIA[0] not in _public_answers(client, world)[0]
    assert (
        "not on the public list yet"
        not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_a_named_members_change_is_shown_at_once_unless_others_wait(client, world, five) -> None:
    """A member named by consent has its list public anyway: its change needs no
    cover. But while another member's change waits, releasing the named one's
    would show the other's too (the difference minus what the names explain)."""
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    Adherence.objects.filter(organisation=five[4].organisation).update(consent_to_be_named=True)
    _reject(five[4], ANATOLIA[0])
    assert ANATOLIA[0] not in _public_answers(client, world)[0]  # shown at once
    _reject(five[0], SAIGON[0])  # company A, not named: waits
    # The named member takes Anatolia back: that waits with company A's change.
    for match in Match.objects.filter(
        row__supplier_list__organisation=five[4].organisation, facility__name=ANATOLIA[0]
    ):
        match.status = Match.Status.CONFIRMED
        match.save()
    assert ANATOLIA[0] not in _public_answers(client, world)[0]
    assert PublishedYear.objects.get(covenant=world.covenant_x, year=YEAR).waiting == 1


def test_only_sourcing_organisations_disclose(client, world, registry) -> None:
    union = _member(world.covenant_x, "Textile Union", type="union")
    with pytest.raises(PermissionDeniedError, match="a trade union does not upload"):
        services.upload_list(union, world.covenant_x, YEAR, "l.csv", csv_bytes([DHAKA]))
    client.force_login(union)
    r = client.get("/supply-chain/upload/")
    assert r.status_code == 403 and "a trade union does not upload" in r.content.decode()
    _, token = ApiToken.issue(union)
    r = client.post(
        "/api/supplier-lists",
        {
            "covenant": world.covenant_x.slug,
            "year": YEAR,
            "file": SimpleUploadedFile("l.csv", csv_bytes([DHAKA])),
        },
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 403
    assert not SupplierList.objects.exists()
    # A union's list stored behind the service's back still counts for nothing.
    sl = services.store_list(
        union.organisation, world.covenant_x, YEAR, "l.csv", csv_bytes([DHAKA])
    )
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE
    assert publication.disclosing_members(world.covenant_x, YEAR) == 0


def test_branch_organisations_disclose_only_when_the_covenant_allows(world, registry) -> None:
    branch = _member(world.covenant_x, "Branch", type="branch")
    with pytest.raises(PermissionDeniedError):
        services.upload_list(branch, world.covenant_x, YEAR, "l.csv", csv_bytes([DHAKA]))
    DisclosurePolicy.objects.create(covenant=world.covenant_x, branch_organisations_disclose=True)
    _disclose(branch, world.covenant_x, [DHAKA])
    assert publication.disclosing_members(world.covenant_x, YEAR) == 1


def test_publication_page_is_the_secretariats(client, world, five) -> None:
    url = f"/supply-chain/publication/{world.covenant_x.slug}/"
    client.force_login(world.member_a)
    assert client.get(url).status_code == 404
    client.force_login(world.secretariat_y)
    assert client.get(url).status_code == 404
    client.force_login(world.secretariat_x)
    page = client.get(url).content.decode()
    assert f"Publish {YEAR}" in page and "5 / 5" in page
    client.post(url, {"action": "publish", "year": YEAR})
    assert publication.public_years(world.covenant_x) == [YEAR]
    client.post(url, {"action": "min_members", "min_members": "6"})
    assert publication.public_years(world.covenant_x) == []  # six needed now
    r = client.post(url, {"action": "min_members", "min_members": "2"}, follow=True)
    assert "At least 3 members are needed" in r.content.decode()


def test_csv_download_is_the_same_rows_as_the_page(client, world, five) -> None:
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    rows = list(csv.reader(io.StringIO(_downloads(client, world, "country=BD")[0])))
    assert any(DHAKA[0] in r for r in rows) and not any(SAIGON[0] in r for r in rows)


def test_a_published_year_is_a_snapshot_removed_with_its_withdrawal(client, world, five) -> None:
    """Every public surface reads the snapshot, not the members' lists: a change
    made behind the services' backs (no signal, so no refresh) leaves the public
    list as published; withdrawing the year deletes its rows (the public ones and
    the confidential member links)."""
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    assert PublicLocation.objects.count() == 3
    assert PublicLocationMember.objects.count() == 5 + 4 + 1  # Dhaka, Saigon, Anatolia
    # The members' links go (e.g. lists replaced): the snapshot still answers.
    SupplierList.objects.filter(organisation=world.company_a).update(status="failed")
    assert {f["name"] for f in _api(client, world)} == {DHAKA[0], SAIGON[0], ANATOLIA[0]}
    assert pub.public_facility_search("Dhaka Knit")[0]["name"] == DHAKA[0]
    publication.withdraw_year(world.secretariat_x, world.covenant_x, YEAR)
    assert not PublicLocation.objects.exists() and not PublicLocationMember.objects.exists()
    assert _api(client, world) == [] and pub.public_facility_search("Dhaka Knit") == []


def test_a_snapshot_resting_on_fewer_than_k_members_is_never_public(
    client, world, registry
) -> None:
    """A breach guard: a snapshot materialised behind the service's back from two
    members' lists (K = 5) shows on no surface: page, API, downloads, search,
    report, map."""
    _disclose(world.member_a, world.covenant_x, [DHAKA, SAIGON])
    _disclose(world.member_b, world.covenant_x, [ANATOLIA])
    published = PublishedYear.objects.create(covenant=world.covenant_x, year=YEAR)
    assert publication.materialise(published) == 3
    assert publication.public_years(world.covenant_x) == []
    assert _api(client, world) == [] and _api(client, world, f"year={YEAR}") == []
    assert DHAKA[0] not in _page(client, world, f"year={YEAR}")
    for text in _downloads(client, world, f"year={YEAR}"):
        assert DHAKA[0] not in text and ANATOLIA[0] not in text
    assert pub.public_facility_search("Dhaka Knit") == []
    assert report_sections(world.covenant_x, YEAR) == []
    assert pub.countries(world.covenant_x, YEAR)[:2] == ([], 0)
    assert pub.points(world.covenant_x, YEAR) == []


def test_every_filtered_snapshot_selection_rests_on_k_members(world, five) -> None:
    """Whatever a filter of the snapshot shows, the confidential member links of
    the shown rows hold at least K distinct members."""
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    k = publication.policy_for(world.covenant_x).min_members
    rows = list(PublicLocation.objects.all())
    filters = [{"country": r.country} for r in rows] + [{"sector": r.sector} for r in rows]
    filters += [{"query": w} for r in rows for w in r.name.lower().split()]
    for f in filters:
        shown = pub.public_rows(world.covenant_x, YEAR, **f)
        members = (
            PublicLocationMember.objects.filter(location__in=shown)
            .values("organisation")
            .distinct()
            .count()
        )
        assert not shown.exists() or members >= k, f


def _summary_of_rows(covenant: Any) -> tuple[int, list[str], list[str]]:
    """What the stored summary must say, counted from the snapshot's rows."""
    rows = PublicLocation.objects.filter(published_year__covenant=covenant)
    return (
        rows.count(),
        sorted(set(rows.values_list("country", flat=True))),
        sorted({s for s in rows.values_list("sector", flat=True) if s}),
    )


def _stored_summary(covenant: Any) -> tuple[int, list[str], list[str]]:
    p = PublishedYear.objects.get(covenant=covenant, year=YEAR)
    return (p.location_count, p.countries, p.sectors)


def test_the_snapshot_stores_the_count_and_filters_its_rows_give(client, world, five) -> None:
    """The count, countries and sectors the public page shows of the whole list are
    stored with the snapshot (no query over its rows per read): they equal the
    rows' own after publishing, after a decision removes a location, and after
    the year falls below K; the page and its filters show them."""
    Facility.objects.filter(country="TR").update(sector="Textiles")
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    stored = _stored_summary(world.covenant_x)
    assert (
        stored
        == _summary_of_rows(world.covenant_x)
        == (3, ["BD", "TR", "VN"], ["Apparel", "Textiles"])
    )
    countries, sectors = pub.public_facets(world.covenant_x, YEAR)
    assert sorted(code for code, _name in countries) == ["BD", "TR", "VN"]
    assert sectors == ["Apparel", "Textiles"]
    html = client.get(f"/supply-chain/public/{world.covenant_x.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"3 production locations" in html.content and b">Textiles</option>" in html.content
    # A decision: the only member sourcing in Anatolia no longer links it. One
    # member's change waits (test_one_members_change_waits_for_k_changes); the
    # secretariat publishing again shows it.
    for match in Match.objects.filter(facility__country="TR"):
        match.status = Match.Status.REJECTED
        match.save()
    assert _stored_summary(world.covenant_x) == (3, ["BD", "TR", "VN"], ["Apparel", "Textiles"])
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    assert _stored_summary(world.covenant_x) == _summary_of_rows(world.covenant_x)
    assert _stored_summary(world.covenant_x) == (2, ["BD", "VN"], ["Apparel"])
    html = client.get(f"/supply-chain/public/{world.covenant_x.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"2 production locations" in html.content and b"Textiles" not in html.content
    # Below K (a member's links all rejected): the year is off the public pages;
    # its rows and their summary are kept, out of sight, for when it comes back.
    for match in Match.objects.filter(row__supplier_list__organisation=world.company_a):
        match.status = Match.Status.REJECTED
        match.save()
    assert _stored_summary(world.covenant_x) == _summary_of_rows(world.covenant_x)
    assert pub.public_facets(world.covenant_x, YEAR) == ([], [])
    html = client.get(f"/supply-chain/public/{world.covenant_x.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"2 production locations" not in html.content


@pytest.mark.parametrize(
    ("members", "band"),
    [
        (1, "1\u20134"),
        (4, "1\u20134"),
        (5, "5\u20139"),
        (9, "5\u20139"),
        (10, "10\u201324"),
        (49, "25\u201349"),
        (50, "50+"),
    ],
)
def test_a_location_shows_its_members_as_a_band(members: int, band: str) -> None:
    from imvo.supplychain.public import member_band

    assert member_band(members) == band


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "min_members", "min_members": "9" * 25}, "Enter a whole number."),
        ({"action": "min_members", "min_members": "\u00b2"}, "Enter a whole number."),
        ({"action": "min_members", "min_members": "5000"}, "At most 1000 members"),
        ({"action": "publish", "year": "\u00b2"}, "Unknown action."),
        ({"action": "publish", "year": "9" * 25}, "Unknown action."),
        ({"action": "withdraw", "year": "1999"}, "The list for 1999 was not public."),
    ],
)
def test_the_publication_page_answers_bad_numbers_with_a_reason(client, world, data, message):
    """Found walking the demo's publication page as a careless or hostile secretariat:
    a 25-digit K overflowed the database (500), "²" passed isdigit() and failed int()
    (500), and withdrawing a year never published said it "is no longer public"."""
    client.force_login(world.secretariat_x)
    url = f"/supply-chain/publication/{world.covenant_x.slug}/"
    r = client.post(url, data, follow=True)
    assert r.status_code == 200 and message in r.content.decode()
    assert publication.policy_for(world.covenant_x).min_members == 5


def test_the_public_list_names_known_sectors_in_the_readers_language(client, world, five) -> None:
    """A sector the covenants use ("Apparel", "textiles") is shown translated on the
    page and in its filter, whose value stays the uploaded text (what the filter matches);
    an unknown sector shows as uploaded; the CSV download keeps the uploaded text."""
    from imvo.core.translation_check import recording, untranslated

    Facility.objects.filter(country="TR").update(sector="textiles")
    Facility.objects.filter(country="VN").update(sector="Batik")
    publication.publish_year(world.secretariat_x, world.covenant_x, YEAR)
    url = f"/supply-chain/public/{world.covenant_x.slug}/"
    with recording() as seen:
        nl = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "<td>Kleding</td>" in nl and "<td>Textiel</td>" in nl and "<td>Batik</td>" in nl
    assert '<option value="Apparel">Kleding</option>' in nl
    assert '<option value="textiles">Textiel</option>' in nl
    assert "<td>Apparel</td>" not in nl
    assert not {"Apparel", "Textiles"} & untranslated(seen, "nl")
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Apparel</td>" in en and "<td>Textiles</td>" in en
    data = client.get(url + "?format=csv", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Apparel" in data and "textiles" in data and "Kleding" not in data
