"""A member's disclosure as versions: preview before anything changes, confirm,
add, replace, restore, carry forward, and exactly one current version (also
under two concurrent uploads, on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from imvo.core.errors import DomainError
from imvo.supplychain import disclosure, services
from imvo.supplychain.models import Disclosure, DisclosureVersion, SupplierList
from imvo.supplychain.tests.helpers import csv_bytes, make_registry

YEAR = timezone.now().year - 1

FIRST = [
    ["Dhaka Knit Composite Ltd", "Plot 12, Road 3, Gazipur Industrial Area", "BD"],
    ["Saigon Sewing JSC", "45 Tan Thuan Rd, Dist 7, HCMC", "VN"],
    ["", "no name road", "BD"],
]
SECOND = [
    ["Anatolia Tekstil San. ve Tic. A.S.", "Organize Sanayi Bolgesi 4. Cadde No 9, Bursa", "TR"],
    ["Saigon Sewing JSC", "45 Tan Thuan Rd, Dist 7, HCMC", "VN"],
]
REPLACEMENT = [
    ["Dhaka Knit Composite Ltd", "Plot 99, Road 3, Gazipur Industrial Area", "BD"],
]


@pytest.fixture
def registry(db):
    return make_registry()


def upload(user, covenant, rows, name="list.csv", mode=None, confirm=False, year=YEAR):
    return services.upload_list(
        user, covenant, year, name, csv_bytes(rows), mode=mode, confirm=confirm
    )


def current_files(company, covenant, year=YEAR) -> list[str]:
    return sorted(
        SupplierList.objects.current()
        .filter(organisation=company, covenant=covenant, year=year)
        .values_list("original_name", flat=True)
    )


def test_nothing_changes_before_the_member_confirms(world, registry) -> None:
    sl = upload(world.member_a, world.covenant_x, FIRST)
    sl.refresh_from_db()
    assert sl.status == "preview", sl.error
    assert not Disclosure.objects.exists() and not sl.is_current
    assert not sl.rows.filter(match__isnull=False).exists()  # not matched yet
    assert services.supply_chain_for(world.company_a, world.covenant_x) == []
    p = disclosure.preview(sl)
    assert p.mode == "first" and p.counts == {
        "added": 2,
        "removed": 0,
        "changed": 0,
        "unchanged": 0,
    }
    assert p.error_rows == 1 and p.errors[0].number == 4
    assert p.samples[:2] == ["Dhaka Knit Composite Ltd", "Saigon Sewing JSC"]
    assert p.encoding == "utf-8"
    # Stages: every row read and checked, none matched or in the disclosure yet.
    assert services.stage_counts(sl) == [
        ("parsed", "Read", 3),
        ("validated", "Checked", 3),
        ("matched", "Matched", 0),
        ("published", "In the disclosure", 0),
    ]
    services.confirm_list(world.member_a, sl)
    sl.refresh_from_db()
    assert sl.status == "done" and sl.is_current
    v = disclosure.current_version(disclosure.find(world.covenant_x.pk, world.company_a.pk, YEAR))
    assert v is not None and v.number == 1 and v.change == "first"
    assert v.effect == {"added": 2, "removed": 0, "changed": 0, "unchanged": 0}
    assert [s[2] for s in services.stage_counts(sl)] == [3, 3, 2, 2]


def test_add_replace_restore_make_versions(world, registry) -> None:
    first = upload(world.member_a, world.covenant_x, FIRST, confirm=True)
    second = upload(world.member_a, world.covenant_x, SECOND, name="tier2.csv", mode="add")
    p = disclosure.preview(second)
    assert p.mode == "add" and p.current_files == ["list.csv"]
    assert p.counts == {"added": 1, "removed": 0, "changed": 0, "unchanged": 2}
    services.confirm_list(world.member_a, second)
    assert current_files(world.company_a, world.covenant_x) == ["list.csv", "tier2.csv"]
    third = upload(world.member_a, world.covenant_x, REPLACEMENT, name="new.csv", mode="replace")
    p = disclosure.preview(third)
    assert p.mode == "replace"
    assert p.counts == {"added": 0, "removed": 2, "changed": 1, "unchanged": 0}
    assert p.changed[0][1].address == "Plot 99, Road 3, Gazipur Industrial Area"
    services.confirm_list(world.member_a, third)
    assert current_files(world.company_a, world.covenant_x) == ["new.csv"]
    d = disclosure.find(world.covenant_x.pk, world.company_a.pk, YEAR)
    assert d is not None
    versions = disclosure.history(world.member_a, d)
    assert [(v.number, v.change, v.is_current) for v in versions] == [
        (3, "replace", True),
        (2, "add", False),
        (1, "first", False),
    ]
    restored = disclosure.restore_version(world.member_a, versions[1])
    assert restored.number == 4 and restored.restored_from == versions[1]
    assert current_files(world.company_a, world.covenant_x) == ["list.csv", "tier2.csv"]
    assert first.is_current and not third.is_current
    assert d.versions.filter(is_current=True).count() == 1


def test_a_cancelled_upload_changes_nothing(world, registry) -> None:
    upload(world.member_a, world.covenant_x, FIRST, confirm=True)
    sl = upload(world.member_a, world.covenant_x, REPLACEMENT, name="x.csv", mode="replace")
    services.cancel_list(world.member_a, sl)
    sl.refresh_from_db()
    assert sl.status == "cancelled"
    assert current_files(world.company_a, world.covenant_x) == ["list.csv"]
    with pytest.raises(DomainError):
        services.confirm_list(world.member_a, sl)
    # The cancelled upload is not "already there"; the confirmed one is, so the
    # choice is still asked.
    with pytest.raises(DomainError, match=r"already has list\.csv\."):
        upload(world.member_a, world.covenant_x, FIRST, name="y.csv")


def test_the_member_picks_another_encoding_on_the_preview(world, registry) -> None:
    data = "Factory name,Address,Country\nTêxteis São João Lda,Rua 1 Guimarães,Portugal\n"
    sl = services.upload_list(
        world.member_a, world.covenant_x, YEAR, "pt.csv", data.encode("cp1252"), confirm=False
    )
    sl.refresh_from_db()
    assert disclosure.preview(sl).samples == ["Têxteis São João Lda"]
    services.choose_encoding(world.member_a, sl, "cp1250")
    sl.refresh_from_db()
    p = disclosure.preview(sl)
    assert p.encoding == "cp1250" and p.samples == ["Tęxteis Săo Joăo Lda"]
    with pytest.raises(DomainError):
        services.choose_encoding(world.member_a, sl, "klingon")


def test_last_year_is_carried_forward_in_one_step(world, registry) -> None:
    old = upload(world.member_a, world.covenant_x, FIRST, confirm=True, year=YEAR - 1)
    with pytest.raises(DomainError, match="no disclosure for"):
        disclosure.carry_forward(world.member_a, world.covenant_x, YEAR - 1)
    version = disclosure.carry_forward(world.member_a, world.covenant_x, YEAR)
    assert version.change == "carry" and version.number == 1 and version.disclosure.year == YEAR
    (copy,) = version.lists.all()
    assert copy.pk != old.pk and copy.sha256 == old.sha256 and copy.year == YEAR
    assert copy.rows.count() == old.rows.count() == 3
    chain = services.supply_chain_for(world.company_a, world.covenant_x, YEAR)
    assert sorted(r["name"] for r in chain) == ["Dhaka Knit Composite Ltd", "Saigon Sewing JSC"]
    assert all(r["facility_id"] for r in chain)  # the matches came along
    with pytest.raises(DomainError, match="already exists"):
        disclosure.carry_forward(world.member_a, world.covenant_x, YEAR)
    # The other member's disclosure is not carried by someone else.
    with pytest.raises(DomainError):
        disclosure.carry_forward(world.member_b, world.covenant_x, YEAR)


def test_the_database_refuses_a_second_current_version(world, registry) -> None:
    upload(world.member_a, world.covenant_x, FIRST, confirm=True)
    d = disclosure.find(world.covenant_x.pk, world.company_a.pk, YEAR)
    assert d is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureVersion.objects.create(disclosure=d, number=9, is_current=True, change="add")


def _in_thread(target, *args) -> threading.Thread:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            target(*args)
        except BaseException as e:  # reported by the test
            errors.append(e)
        finally:
            connection.close()

    t = threading.Thread(target=run)
    t.errors = errors  # type: ignore[attr-defined]
    t.start()
    return t


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_confirmations_leave_exactly_one_current_version() -> None:
    """Two files of the same member confirmed at the same moment (two threads, two
    database connections): both become versions, one after the other; exactly one
    is current, and it holds both files (each was added to the disclosure)."""
    from imvo.testing import build_world

    world = build_world()
    make_registry()
    first = upload(world.member_a, world.covenant_x, FIRST, confirm=True)
    a = upload(world.member_a, world.covenant_x, SECOND, name="a.csv", mode="add")
    b = upload(world.member_a, world.covenant_x, REPLACEMENT, name="b.csv", mode="add")
    for sl in (a, b):  # matched, as the worker leaves them before the version step
        SupplierList.objects.filter(pk=sl.pk).update(status="done", confirmed=True)
    barrier = threading.Barrier(2)

    def confirm(sl: SupplierList) -> None:
        barrier.wait()
        disclosure.do_record_version(
            sl.covenant_id,
            sl.organisation_id,
            sl.year,
            DisclosureVersion.Change.ADD,
            lambda current: disclosure.lists_after(sl, current),
        )

    threads = [_in_thread(confirm, a), _in_thread(confirm, b)]
    for t in threads:
        t.join(60)
    assert [t.errors for t in threads] == [[], []]  # type: ignore[attr-defined]
    d = Disclosure.objects.get()
    assert d.versions.count() == 3
    assert d.versions.filter(is_current=True).count() == 1
    assert sorted(d.versions.values_list("number", flat=True)) == [1, 2, 3]
    assert current_files(world.company_a, world.covenant_x) == ["a.csv", "b.csv", "list.csv"]
    assert first.is_current


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_first_uploads_end_to_end() -> None:
    """Two uploads of the same year sent at once, processed to the end (parse,
    check, match, version) in two threads: one disclosure, one current version."""
    from imvo.testing import build_world

    world = build_world()
    make_registry()
    barrier = threading.Barrier(2)

    def send(rows: list[list[str]], name: str) -> None:
        barrier.wait()
        services.store_list(
            world.company_a, world.covenant_x, YEAR, name, csv_bytes(rows), mode="replace"
        )

    threads = [_in_thread(send, FIRST, "one.csv"), _in_thread(send, SECOND, "two.csv")]
    for t in threads:
        t.join(120)
    assert [t.errors for t in threads] == [[], []]  # type: ignore[attr-defined]
    d = Disclosure.objects.get()
    assert d.versions.count() == 2 and d.versions.filter(is_current=True).count() == 1
    current = d.versions.get(is_current=True)
    assert current.number == 2 and current.lists.count() == 1  # the later one replaced


def test_the_request_reads_only_the_head_and_the_worker_parses_once(world, registry) -> None:
    from imvo.supplychain import parsing

    rows = [[f"Mill {i}", f"{i} Mill Road, Gazipur", "BD"] for i in range(parsing.HEAD_ROWS * 4)]
    data = csv_bytes(rows)
    head = parsing.read_table("big.csv", data, head=parsing.HEAD_ROWS)
    assert not head.complete and len(head.rows) < len(rows)
    assert head.column_mapping() == {"name": 0, "address": 1, "country": 2}
    sl = services.store_list(
        world.company_a, world.covenant_x, YEAR, "big.csv", data, enqueue_task=False
    )
    assert sl.rows_total == 0 and not sl.rows.exists()  # counted by the worker
    sl = services.process_list(sl.pk)
    assert sl.status == "done" and sl.rows_total == sl.rows.count() == len(rows)
    # A file read whole in the head keeps its refusals at upload time.
    with pytest.raises(parsing.ParseError, match="no data rows"):
        parsing.read_table("h.csv", b"Factory name,Address,Country\n", head=parsing.HEAD_ROWS)
