"""Supplier-list processing, decisions, scoping, public list and interfaces (real DB,
real files, tasks run by the immediate backend)."""

from __future__ import annotations

import pytest
from django.utils import timezone, translation

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence
from imvo.supplychain import disclosure, parsing, services
from imvo.supplychain import public as pub
from imvo.supplychain.models import Facility, Match, SupplierList
from imvo.supplychain.tests.helpers import (
    csv_bytes,
    make_facility,
    make_registry,
    publish_with_members,
)

YEAR = timezone.now().year - 1

LIST_A = [
    ["DHAKA KNIT COMPOSITE LIMITED", "Plot 12 Road 3 Gazipur Ind. Area", "Bangladesh"],
    ["Saigon Sewing JSC", "45 Tan Thuan Rd, Dist 7, HCMC", "Viet Nam"],
    ["Lotus Apparel Co., Ltd", "Unit B, No. 5 Lotus Road, Dongguan 523000", "China"],
    ["Brand New Embroidery Works", "77 Unknown Street, Sialkot", "PK"],
    ["", "no name road", "BD"],
    ["Somewhere Ltd", "1 Main Street", "Atlantis"],
]


def upload(user, covenant, rows=LIST_A, year=YEAR, name="list.csv", mode=None):
    return services.upload_list(user, covenant, year, name, csv_bytes(rows), mode=mode)


@pytest.fixture
def registry(db):
    return make_registry()


def test_upload_processes_every_row(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    sl.refresh_from_db()
    assert sl.status == SupplierList.Status.DONE, sl.error
    assert sl.rows_done == sl.rows_total == 6
    assert sl.summary["received"] == 6 and sl.summary["valid"] == 4 and sl.summary["rejected"] == 2
    rows = {r.number: r for r in sl.rows.select_related("match")}
    assert rows[2].match.status == "automatic" and rows[2].match.facility == registry[0]
    assert rows[3].match.status == "automatic" and rows[3].match.facility == registry[1]
    # Unit B next to unit A: a look-alike, never an automatic match.
    assert rows[4].match.status in ("pending", "new")
    assert (
        rows[5].match.status == "new"
        and rows[5].match.facility.name == "Brand New Embroidery Works"
    )
    assert rows[6].errors == [["Factory name", "the name is missing"]]
    assert "unknown country 'Atlantis'" in rows[7].errors[0][1]
    with sl.file.open("rb") as fh:
        assert fh.read() == csv_bytes(LIST_A)  # the original file, unchanged


def test_only_members_upload_and_bad_files_store_nothing(world, registry) -> None:
    with pytest.raises(PermissionDeniedError):
        upload(world.secretariat_x, world.covenant_x)
    with pytest.raises(PermissionDeniedError):
        upload(world.member_c, world.covenant_x)
    with pytest.raises(DomainError, match=r"empty\.csv: the file is empty"):
        services.upload_list(world.member_a, world.covenant_x, YEAR, "empty.csv", b"")
    assert not SupplierList.objects.exists()


def test_an_unreadable_file_is_refused_and_kept_as_received(world, registry, monkeypatch) -> None:
    """DESIGN.md, nothing lost: the refused file is kept with its reason, outside the
    disclosure; once it can be read (here: a reader that failed on it is fixed),
    "run again" takes it from the door to the disclosure like a fresh upload."""
    good = upload(world.member_a, world.covenant_x)
    data = csv_bytes(LIST_A[:2])
    real_read = parsing.read_table

    def broken_reader(*args, **kwargs):
        raise parsing.ParseError("list.csv: the reader broke on row 2")

    monkeypatch.setattr(parsing, "read_table", broken_reader)
    with pytest.raises(DomainError, match="the reader broke on row 2"):
        services.upload_list(world.member_a, world.covenant_x, YEAR, "more.csv", data, mode="add")
    kept = SupplierList.objects.exclude(pk=good.pk).get()
    assert kept.status == SupplierList.Status.FAILED and "broke on row 2" in kept.error
    assert kept.original_name == "more.csv" and kept.adds_to
    with kept.file.open("rb") as fh:
        assert fh.read() == data
    assert not kept.rows.exists() and not kept.is_current
    assert good.versions.filter(is_current=True).exists()  # the disclosure did not change
    # Still unreadable: the reason is said again, nothing else moves.
    with pytest.raises(DomainError, match="broke on row 2"):
        services.run_again(world.member_a, kept)
    kept.refresh_from_db()
    assert kept.status == SupplierList.Status.FAILED
    # The reader is fixed: run again reads it at the door and processes it; what it
    # does to the disclosure waits for the member's confirmation (never silent).
    monkeypatch.setattr(parsing, "read_table", real_read)
    services.run_again(world.member_a, kept)
    kept.refresh_from_db()
    assert kept.status == SupplierList.Status.PREVIEW, kept.error
    assert not kept.is_current
    services.confirm_list(world.member_a, kept)
    kept.refresh_from_db()
    assert kept.status == SupplierList.Status.DONE, kept.error
    assert (
        kept.rows.count() == 2
        and kept.is_current
        and good.versions.filter(is_current=True).exists()
    )


def test_empty_and_oversize_files_are_not_kept(world, registry, settings) -> None:
    with pytest.raises(DomainError, match="empty"):
        services.upload_list(world.member_a, world.covenant_x, YEAR, "empty.csv", b"")
    settings.IMVO_MAX_UPLOAD_BYTES = 100
    with pytest.raises(DomainError):
        upload(world.member_a, world.covenant_x)
    assert not SupplierList.objects.exists()


def test_rerun_is_idempotent(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    before = list(sl.rows.order_by("number").values_list("number", "status", "match__facility_id"))
    services.run_again(world.member_a, sl)
    services.run_again(world.member_a, sl)
    sl.refresh_from_db()
    after = list(sl.rows.order_by("number").values_list("number", "status", "match__facility_id"))
    assert sl.status == "done" and len(after) == 6 and sl.rows.count() == 6
    assert after == before


def test_failed_job_has_a_reason_and_can_run_again(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    # The stored file was damaged on disk: the checksum no longer matches.
    path = sl.file.path
    with open(path, "ab") as fh:
        fh.write(b"tampered")
    with translation.override("en"):
        services.run_again(world.member_a, sl)
    sl.refresh_from_db()
    assert sl.status == "failed" and "checksum" in sl.error
    assert sl.rows.count() == 6  # the earlier result is not lost
    with open(path, "wb") as fh:
        fh.write(csv_bytes(LIST_A))
    services.run_again(world.member_a, sl)
    sl.refresh_from_db()
    assert sl.status == "done" and sl.error == ""


def test_mapping_unknown_headers(world, registry) -> None:
    data = csv_bytes(LIST_A[:2], header=("Fabriek X", "Waar", "Landcode"))
    sl = services.upload_list(world.member_a, world.covenant_x, YEAR, "x.csv", data)
    assert sl.status == "mapping"
    with pytest.raises(DomainError, match="Choose a column for: address"):
        services.set_column_map(world.member_a, sl, {"name": 0, "country": 2})
    with pytest.raises(DomainError, match="chosen for two fields"):
        services.set_column_map(world.member_a, sl, {"name": 0, "address": 0, "country": 2})
    services.set_column_map(world.member_a, sl, {"name": 0, "address": 1, "country": 2})
    sl.refresh_from_db()
    assert sl.status == "done" and sl.summary["automatic"] == 2


def _pending(sl: SupplierList) -> Match:
    return Match.objects.get(row__supplier_list=sl, status="pending")


def test_decisions_are_remembered_next_year(world, db) -> None:
    a = make_facility("Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN")
    b = make_facility("Lotus Apparel Co Ltd", "Unit A No 5 Lotus Road Dongguan", "CN")
    rows = [["Lotus Apparel Limited", "Unit A, No. 5 Lotus Rd, Dongguan", "CN"]]
    sl = upload(world.member_a, world.covenant_x, rows)
    match = _pending(sl)  # two near-identical facilities: a person decides
    with pytest.raises(PermissionDeniedError):
        services.decide_match(world.member_b, match, "confirm", b.pk)
    with pytest.raises(DomainError, match="Choose one of the proposed facilities"):
        services.decide_match(world.member_a, match, "confirm", 999999)
    services.decide_match(world.member_a, match, "confirm", b.pk)
    match.refresh_from_db()
    assert (
        match.status == "confirmed" and match.facility == b and match.decided_by == world.member_a
    )
    next_year = upload(world.member_a, world.covenant_x, rows, year=YEAR + 1)
    m = Match.objects.get(row__supplier_list=next_year)
    assert m.status == "confirmed" and m.facility == b and m.remembered
    assert a.pk != b.pk


def test_new_facility_decision_and_public_list(world, db) -> None:
    make_facility("Lotus Apparel Co., Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN")
    make_facility("Lotus Apparel Co Ltd", "Unit A No 5 Lotus Road Dongguan", "CN")
    rows = [["Lotus Apparel Ltd", "Unit A, No. 5 Lotus Road, Dongguan", "CN"]]
    sl = upload(world.member_a, world.covenant_x, rows)
    match = _pending(sl)
    assert pub.public_facility_list(world.covenant_x, YEAR) == []  # not published
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x)
    public = pub.public_facility_list(world.covenant_x, YEAR)
    assert "Lotus Apparel Ltd" not in str(public)  # pending: linked to no facility yet
    services.decide_match(world.member_a, match, "new")
    match.refresh_from_db()
    assert match.status == "new" and match.facility.name == "Lotus Apparel Ltd"  # type: ignore[union-attr]
    # One member's decision waits until K members changed theirs, or until the
    # secretariat publishes again (publication.refresh_published).
    public = pub.public_facility_list(world.covenant_x, YEAR)
    assert match.facility_id not in [f["id"] for f in public]
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x)
    public = pub.public_facility_list(world.covenant_x, YEAR)
    assert match.facility_id in [f["id"] for f in public]


def test_new_upload_replaces_earlier_one_and_keeps_history(world, registry) -> None:
    first = upload(world.member_a, world.covenant_x)
    with pytest.raises(DomainError, match="already has list"):
        upload(world.member_a, world.covenant_x, LIST_A[:1], name="corrected.csv")
    assert SupplierList.objects.count() == 1  # refused: nothing stored, nothing replaced
    second = upload(
        world.member_a, world.covenant_x, LIST_A[:1], name="corrected.csv", mode="replace"
    )
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert first.rows.count() == 6  # history kept
    chain = services.supply_chain_for(world.company_a, world.covenant_x)
    assert [r["name"] for r in chain] == ["DHAKA KNIT COMPOSITE LIMITED"]


def test_scoping(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    assert list(services.lists_visible_to(world.member_a)) == [sl]
    assert not services.lists_visible_to(world.member_b).exists()
    assert not services.lists_visible_to(world.secretariat_y).exists()
    assert list(services.lists_visible_to(world.secretariat_x)) == [sl]
    assert not services.can_decide(world.member_b, sl)


def test_public_list_and_overlap_never_name_a_buyer_without_consent(world, registry) -> None:
    upload(world.member_a, world.covenant_x)
    upload(world.member_b, world.covenant_x, LIST_A[:2])
    # A third member sources in Viet Nam only.
    (third,) = publish_with_members(world.covenant_x, YEAR, world.secretariat_x, row=LIST_A[1])
    public = pub.public_facility_list(world.covenant_x, YEAR)
    by_id = {f["id"]: f for f in public}
    assert by_id[registry[0].pk]["members"] == "1\u20134"  # two members: a band, not the count
    assert by_id[registry[0].pk]["named_members"] == []
    assert "Company A" not in str(public) and "Company B" not in str(public)
    Adherence.objects.filter(organisation=world.company_b).update(consent_to_be_named=True)
    named = {f["id"]: f for f in pub.public_facility_list(world.covenant_x, YEAR)}
    assert named[registry[0].pk]["named_members"] == ["Company B"]
    # Two of the three members in Bangladesh: that search would narrow to < K members.
    assert pub.public_facility_list(world.covenant_x, YEAR, query="dhaka knit") == []
    assert pub.public_facility_list(world.covenant_x, YEAR, country="VN")[0]["id"] == registry[1].pk
    assert pub.public_facility_list(world.covenant_y, YEAR) == []

    mine = {
        f["id"]: f["others"] for f in services.shared_for_member(world.member_a, world.covenant_x)
    }
    # K = 3: Dhaka has 2 members (the range 1 to K - 2 is "1"), Saigon 3 (the count).
    assert mine[registry[0].pk] == "1" and mine[registry[1].pk] == "2"
    assert all(
        set(f) == {"id", "name", "country", "address", "others"}
        for f in services.shared_for_member(world.member_a, world.covenant_x)
    )
    overlap = services.overlap_for_secretariat(world.secretariat_x, world.covenant_x)
    assert {f["id"]: f["members"] for f in overlap} == {
        registry[0].pk: ["Company A", "Company B"],
        registry[1].pk: ["Company A", "Company B", third.name],
    }
    with pytest.raises(PermissionDeniedError):
        services.overlap_for_secretariat(world.member_a, world.covenant_x)
    with pytest.raises(PermissionDeniedError):
        services.overlap_for_secretariat(world.secretariat_y, world.covenant_x)


def test_interfaces_for_other_apps(world, registry) -> None:
    upload(world.member_a, world.covenant_x)
    assert pub.public_facility_search("saigon sewing") == []  # not published yet
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x)
    chain = services.supply_chain_for(world.company_a)
    assert len(chain) == 4
    assert set(chain[0]) == {
        "row_id",
        "facility_id",
        "name",
        "address",
        "country",
        "sector",
        "product",
        "workers",
        "year",
    }
    assert chain[0]["facility_id"] == registry[0].pk and chain[0]["country"] == "BD"
    assert services.supply_chain_for(world.company_b) == []
    found = pub.public_facility_search("saigon sewing")
    assert found[0]["id"] == registry[1].pk and set(found[0]) == {
        "id",
        "name",
        "address",
        "country",
        "sector",
    }
    assert pub.public_facility_search("saigon", country="BD") == []
    # A facility nobody disclosed is not searchable.
    assert pub.public_facility_search("anatolia") == []
    assert services.organisations_linked_to_facility(registry[0].pk) == [world.company_a]


def test_merge_keeps_both_ids_resolvable(world, registry) -> None:
    upload(world.member_a, world.covenant_x)
    dup = make_facility("Dhaka Knit Composite", "Gazipur", "BD")
    with pytest.raises(PermissionDeniedError):
        services.merge_facilities(world.member_a, dup, registry[0])
    services.merge_facilities(world.secretariat_x, dup, registry[0])
    assert services.resolve_facility_id(registry[0].pk) == dup.pk
    assert services.organisations_linked_to_facility(registry[0].pk) == [world.company_a]
    assert Facility.objects.get(pk=registry[0].pk).merged_into == dup
    assert "Dhaka Knit Composite Ltd" in Facility.objects.get(pk=dup.pk).aliases


def test_report_section_has_public_aggregates_only(world, registry) -> None:
    from imvo.supplychain.report import report_sections

    assert report_sections(world.covenant_x, YEAR) == []
    upload(world.member_a, world.covenant_x)
    upload(world.member_b, world.covenant_x, LIST_A[:2])
    assert report_sections(world.covenant_x, YEAR) == []  # not public yet
    publish_with_members(world.covenant_x, YEAR, world.secretariat_x, k=3)
    (section,) = [s.as_dict("supplychain") for s in report_sections(world.covenant_x, YEAR)]
    figures = {f["label"]: f["value"] for f in section["figures"]}
    assert figures["Shared by two or more members"] == 2
    assert figures["Members disclosing"] == 3
    assert "Company A" not in str(section) and "Company B" not in str(section)
    # Every country here has fewer than 3 members: none is named in the table.
    (table,) = section["tables"]
    assert [r[0] for r in table["rows"]] == ["Other countries (fewer than 3 members each)"]


def test_error_report_lists_rows_to_fix(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    header, rows = services.error_report(sl)
    assert header[:3] == ["row", "column", "problem"]
    assert [r[:2] for r in rows] == [[6, "Factory name"], [7, "Country"]]


def test_user_without_organisation_has_no_chain(db) -> None:
    user = make_user()
    assert not services.member_covenants(user).exists()
    assert not services.lists_visible_to(user).exists()


def test_a_running_job_is_not_started_twice(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x)
    SupplierList.objects.filter(pk=sl.pk).update(status="processing", started=timezone.now())
    sl.refresh_from_db()
    with pytest.raises(DomainError, match="being processed"):
        services.run_again(world.member_a, sl)
    # A worker that died long ago: the list may be run again.
    silent_since = timezone.now() - services.STUCK_AFTER - timezone.timedelta(minutes=1)  # type: ignore[attr-defined]
    SupplierList.objects.filter(pk=sl.pk).update(started=silent_since, progress_at=silent_since)
    sl.refresh_from_db()
    assert services.run_again(world.member_a, sl).status == "done"


def test_a_long_run_that_still_makes_progress_is_never_stuck(world, registry) -> None:
    """Stuck counts from the job's last progress, not from its start: a genuine run
    longer than STUCK_AFTER that reported rows a minute ago cannot be run again."""
    sl = upload(world.member_a, world.covenant_x)
    sl.refresh_from_db()
    assert sl.progress_at is not None and sl.started is not None
    assert sl.progress_at >= sl.started  # processing reported its rows after it started
    long_ago = timezone.now() - services.STUCK_AFTER - timezone.timedelta(minutes=30)  # type: ignore[attr-defined]
    SupplierList.objects.filter(pk=sl.pk).update(
        status="processing",
        started=long_ago,
        progress_at=timezone.now() - timezone.timedelta(minutes=1),  # type: ignore[attr-defined]
    )
    sl.refresh_from_db()
    assert not services.is_stuck(sl)
    with pytest.raises(DomainError, match="being processed"):
        services.run_again(world.member_a, sl)
    # Silent since long ago: the worker died, the list may be run again.
    SupplierList.objects.filter(pk=sl.pk).update(progress_at=long_ago)
    sl.refresh_from_db()
    assert services.is_stuck(sl)
    assert services.run_again(world.member_a, sl).status == "done"


def test_an_added_file_joins_the_disclosure_and_replace_is_explicit(world, registry) -> None:
    first = upload(world.member_a, world.covenant_x)
    tier2 = [
        ["Anatolia Tekstil San. ve Tic. A.S.", "Organize Sanayi Bolgesi 4. Cadde No 9, Bursa", "TR"]
    ]
    added = upload(world.member_a, world.covenant_x, tier2, name="tier2.csv", mode="add")
    first.refresh_from_db()
    assert first.is_current and added.is_current and added.adds_to
    names = [r["name"] for r in services.supply_chain_for(world.company_a, world.covenant_x)]
    assert len(names) == 5 and "Anatolia Tekstil San. ve Tic. A.S." in names
    replaced = upload(world.member_a, world.covenant_x, LIST_A[:1], name="new.csv", mode="replace")
    first.refresh_from_db()
    added.refresh_from_db()
    assert not first.is_current and not added.is_current and replaced.is_current
    assert first.rows.count() == 6 and added.rows.count() == 1  # history kept
    chain = services.supply_chain_for(world.company_a, world.covenant_x)
    assert [r["name"] for r in chain] == ["DHAKA KNIT COMPOSITE LIMITED"]
    with pytest.raises(DomainError):
        upload(world.member_a, world.covenant_x, name="x.csv", mode="merge")


def test_a_replaced_version_can_be_restored(world, registry) -> None:
    first = upload(world.member_a, world.covenant_x)
    second = upload(world.member_a, world.covenant_x, LIST_A[:1], name="b.csv", mode="replace")
    d = disclosure.find(world.covenant_x.pk, world.company_a.pk, YEAR)
    v1, v2 = d.versions.order_by("number")  # type: ignore[union-attr]
    with pytest.raises(PermissionDeniedError):
        disclosure.restore_version(world.member_b, v1)
    with pytest.raises(DomainError):
        disclosure.restore_version(world.member_a, v2)  # already current
    v3 = disclosure.restore_version(world.member_a, v1)
    assert v3.number == 3 and v3.change == "restore" and v3.restored_from == v1
    assert first.is_current and not second.is_current
    assert len(services.supply_chain_for(world.company_a, world.covenant_x)) == 4
    disclosure.restore_version(world.member_a, v2)  # a restore can be undone
    assert not first.is_current and second.is_current
