"""A member's disclosure for a covenant and year, and its versions.

Every confirmed change is a new `DisclosureVersion` naming the supplier lists
the disclosure is made of: the first upload, a file added (another business
unit, another tier), a replacement, a restore of an earlier version, last
year's disclosure carried forward. Exactly one version is current:

- the database refuses a second current version (partial unique index
  `one_current_disclosure_version`);
- `do_record_version` demotes the old version and inserts the new one in one
  transaction, under a row lock on the `Disclosure` (SELECT ... FOR UPDATE on
  PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), so two
  uploads confirmed at the same moment become two versions one after the
  other, and the later one is current.

`SupplierList.objects.current()` is the one place that says which lists are
current; the public list, the risk scan and the interfaces read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from imvo.accounts import services as roles
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.registry import disclosure_version_current
from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.supplychain.models import (
    Disclosure,
    DisclosureVersion,
    Match,
    SupplierList,
    SupplierListRow,
)
from imvo.supplychain.publication import (
    bump_public_list_version,
    check_may_disclose,
    refresh_published,
)

# Lists on their way into a disclosure: an upload in one of these states counts
# as "already there" when the member uploads another file for the same year.
IN_PIPELINE = [
    SupplierList.Status.MAPPING,
    SupplierList.Status.QUEUED,
    SupplierList.Status.PROCESSING,
    SupplierList.Status.PREVIEW,
]


def member_covenants(user: Any) -> QuerySet[Covenant]:
    """Covenants in which the user's organisation takes part (and may upload a list)."""
    org = roles.organisation_id(user)
    if not org:
        return Covenant.objects.none()
    return Covenant.objects.filter(
        adherences__organisation_id=org, adherences__status=Adherence.Status.ACTIVE
    ).distinct()


def require_member(user: Any, covenant: Covenant) -> Organisation:
    """The user's organisation, if it may disclose in the covenant (it sources there)."""
    org_id = roles.organisation_id(user)
    if not org_id or not member_covenants(user).filter(pk=covenant.pk).exists():
        raise PermissionDeniedError(
            _("Only a member organisation of this covenant can upload its supplier list.")
        )
    org = Organisation.objects.get(pk=org_id)
    check_may_disclose(org, covenant)
    return org


def disclosures_visible_to(user: Any) -> QuerySet[Disclosure]:
    return Disclosure.objects.visible_to(user).select_related("covenant", "organisation")


def may_change(user: Any, disclosure: Disclosure | SupplierList) -> bool:
    """Only the member itself changes its disclosure (its lists, their column map,
    encoding and matches, its versions). The secretariat and the platform admin
    see who sources where, but never change, replace, restore or delete what a
    member disclosed: the disclosure is the member's word (docs/supplychain.md)."""
    org = roles.organisation_id(user)
    return org is not None and org == disclosure.organisation_id


def require_change(user: Any, disclosure: Disclosure | SupplierList) -> None:
    """Refuse whoever may not change this disclosure (`may_change`), saying why."""
    if may_change(user, disclosure):
        return
    if roles.is_secretariat(user, disclosure.covenant_id):
        raise PermissionDeniedError(
            _(
                "Only the member itself can change its disclosure. The secretariat sees "
                "its supplier lists but does not change, replace, restore or delete them."
            )
        )
    raise PermissionDeniedError(_("You may not change this disclosure."))


def find(covenant_id: int, organisation_id: int, year: int) -> Disclosure | None:
    return Disclosure.objects.filter(
        covenant_id=covenant_id, organisation_id=organisation_id, year=year
    ).first()


def current_version(disclosure: Disclosure | None) -> DisclosureVersion | None:
    if disclosure is None:
        return None
    # The stored risk scan (risk app) can be megabytes; nothing here reads it.
    return disclosure.versions.filter(is_current=True).defer("risk_scan").first()


def current_lists_for(covenant_id: int, organisation_id: int, year: int) -> list[SupplierList]:
    """The lists the member's disclosure for the year is made of now."""
    return list(
        SupplierList.objects.current().filter(
            covenant_id=covenant_id, organisation_id=organisation_id, year=year
        )
    )


# --- the effect of a change: what the preview shows -------------------------------------


Key = tuple[str, str]  # (country, normalised name): one location


@dataclass(frozen=True)
class Location:
    key: Key
    name: str
    address: str
    country: str
    detail: tuple[str, ...]  # normalised address, sector, product, tier


@dataclass
class Effect:
    """What a change does to the disclosure, location by location (a location is
    a country and a normalised name; it changed when its address, sector, product
    or tier did)."""

    added: list[Location] = field(default_factory=list)
    removed: list[Location] = field(default_factory=list)
    changed: list[tuple[Location, Location]] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
        }


def locations(lists: Iterable[SupplierList]) -> dict[Key, Location]:
    """The valid rows of some lists as locations (the first row of a key wins)."""
    out: dict[Key, Location] = {}
    rows = (
        SupplierListRow.objects.filter(
            supplier_list__in=list(lists), status=SupplierListRow.Status.VALID
        )
        .order_by("supplier_list_id", "number")
        .values_list(
            "country", "name_norm", "name", "address", "address_norm", "sector", "product", "tier"
        )
    )
    for country, name_norm, name, address, address_norm, sector, product, tier in rows:
        key = (country, name_norm)
        if key not in out:
            detail = (address_norm, sector.lower(), product.lower(), tier.lower())
            out[key] = Location(key, name, address, country, detail)
    return out


def effect_of(before: dict[Key, Location], after: dict[Key, Location]) -> Effect:
    effect = Effect()
    for key, loc in after.items():
        old = before.get(key)
        if old is None:
            effect.added.append(loc)
        elif old.detail != loc.detail:
            effect.changed.append((old, loc))
        else:
            effect.unchanged += 1
    effect.removed = [loc for key, loc in before.items() if key not in after]
    return effect


def lists_after(sl: SupplierList, current: list[SupplierList]) -> list[SupplierList]:
    """The lists the disclosure is made of once `sl` is confirmed: added to the
    current ones, or replacing them."""
    if sl.adds_to:
        return [*[c for c in current if c.pk != sl.pk], sl]
    return [sl]


def preview_effect(sl: SupplierList) -> Effect:
    """The effect confirming this (read and checked) list would have."""
    current = current_lists_for(sl.covenant_id, sl.organisation_id, sl.year)
    return effect_of(locations(current), locations(lists_after(sl, current)))


# --- versions ---------------------------------------------------------------------------


def do_record_version(
    covenant_id: int,
    organisation_id: int,
    year: int,
    change: str,
    lists_for: Any,
    user: Any = None,
    restored_from: DisclosureVersion | None = None,
) -> DisclosureVersion:
    """Make a new version current. `lists_for(current_lists)` says which lists the
    new version holds, given the lists current under the lock (so two files
    added at the same moment both end up in the disclosure)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                disclosure, _created = Disclosure.objects.get_or_create(
                    covenant_id=covenant_id, organisation_id=organisation_id, year=year
                )
        except IntegrityError:  # created by a concurrent first upload meanwhile
            disclosure = Disclosure.objects.get(
                covenant_id=covenant_id, organisation_id=organisation_id, year=year
            )
        # The lock that serialises two changes of the same disclosure.
        disclosure = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
        old = current_version(disclosure)
        before = list(old.lists.all()) if old is not None else []
        after: list[SupplierList] = lists_for(before)
        number = (disclosure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        if old is None and change in (
            DisclosureVersion.Change.ADD,
            DisclosureVersion.Change.REPLACE,
        ):
            change = DisclosureVersion.Change.FIRST
        disclosure.versions.filter(is_current=True).update(is_current=False)
        version = DisclosureVersion.objects.create(
            disclosure=disclosure,
            number=number,
            is_current=True,
            change=change,
            restored_from=restored_from,
            created_by=user if getattr(user, "pk", None) else None,
            effect=effect_of(locations(before), locations(after)).counts(),
        )
        version.lists.set(after)
        # The published year's snapshot follows the new version (now that it is whole).
        refresh_published(covenant_id, year)
        # Rows of the lists in the current disclosure have reached the last stage.
        SupplierListRow.objects.filter(
            supplier_list__in=after, stage=SupplierListRow.Stage.MATCHED
        ).update(stage=SupplierListRow.Stage.PUBLISHED)
        transaction.on_commit(bump_public_list_version)
        # Apps above (the risk scan) act on the new current version once it is committed.
        version_id = version.pk
        transaction.on_commit(lambda: disclosure_version_current(version_id))
    return version


def history(user: Any, disclosure: Disclosure) -> list[DisclosureVersion]:
    """Every version of a disclosure, newest first, with its files."""
    if not disclosures_visible_to(user).filter(pk=disclosure.pk).exists():
        raise PermissionDeniedError(_("You may not see this disclosure."))
    return list(
        disclosure.versions.select_related("created_by", "restored_from")
        .defer("risk_scan", "restored_from__risk_scan")
        .prefetch_related("lists")
        .order_by("-number")
    )


def restore_version(user: Any, version: DisclosureVersion) -> DisclosureVersion:
    """Make an earlier version's lists the disclosure again, as a new version
    (so the restore can itself be undone the same way)."""
    disclosure = version.disclosure
    require_change(user, disclosure)
    version.refresh_from_db()
    if version.is_current:
        raise DomainError(_("This version is the current one already."))
    lists = list(version.lists.all())
    if any(sl.status != SupplierList.Status.DONE for sl in lists):
        raise DomainError(_("This version holds a list that is not processed; it cannot return."))
    return do_record_version(
        disclosure.covenant_id,
        disclosure.organisation_id,
        disclosure.year,
        DisclosureVersion.Change.RESTORE,
        lambda _current: lists,
        user,
        restored_from=version,
    )


def carry_forward(user: Any, covenant: Covenant, year: int) -> DisclosureVersion:
    """Disclose last year's locations again for `year`, in one step: each list of
    last year's current version is copied (file, rows, matches and the person's
    decisions with them), and the copies become the year's first version."""
    org = require_member(user, covenant)
    year = int(year)
    previous = find(covenant.pk, org.pk, year - 1)
    source = current_version(previous)
    if source is None:
        raise DomainError(_("There is no disclosure for %(y)s to carry forward.") % {"y": year - 1})
    if current_version(find(covenant.pk, org.pk, year)) is not None:
        raise DomainError(
            _("Your disclosure for %(y)s already exists; add a file to it or replace it instead.")
            % {"y": year}
        )
    with transaction.atomic():
        copies = [_copy_list(sl, year, user) for sl in source.lists.all()]
        return do_record_version(
            covenant.pk,
            org.pk,
            year,
            DisclosureVersion.Change.CARRY,
            lambda _current: copies,
            user,
        )


def _copy_list(sl: SupplierList, year: int, user: Any) -> SupplierList:
    with sl.file.open("rb") as fh:
        data = fh.read()
    copy = SupplierList.objects.get(pk=sl.pk)
    copy.pk = None
    copy.year = year
    copy.uploaded_by = user if getattr(user, "pk", None) else None
    copy.confirmed = True
    copy.adds_to = False
    copy.file.save(
        f"{sl.organisation_id}-{year}-{sl.sha256[:16]}.bin", ContentFile(data), save=False
    )
    copy.save()
    rows = list(sl.rows.all())
    numbers = {}
    for r in rows:
        numbers[r.pk] = r.number
        r.pk = None
        r.supplier_list = copy
    SupplierListRow.objects.bulk_create(rows, batch_size=1000)
    new_ids = dict(copy.rows.values_list("number", "id"))
    matches = list(Match.objects.filter(row__supplier_list=sl))
    for m in matches:
        m.pk = None
        m.row_id = new_ids[numbers[m.row_id]]
    Match.objects.bulk_create(matches, batch_size=1000)
    return copy


# --- the preview the member confirms ---------------------------------------------------

SAMPLE = 10  # locations of each kind shown on the preview


@dataclass(frozen=True)
class Preview:
    """What the member sees before confirming an upload."""

    mode: str  # "add" or "replace" ("first" when the year has no disclosure yet)
    current_files: list[str]
    counts: dict[str, int]
    added: list[Location]
    removed: list[Location]
    changed: list[tuple[Location, Location]]
    error_rows: int
    errors: list[SupplierListRow]
    # Rows disclosed without a field that was not what it should be (coordinates,
    # the number of workers): the member sees what it loses before confirming.
    warned_rows: int
    warned: list[SupplierListRow]
    samples: list[str]
    encoding: str  # detected or chosen; "" for workbooks
    # The worksheet read (`parsing._pick_sheet`): told when a workbook has several.
    sheet: str = ""
    # Hidden worksheets, never read (`parsing.hidden_parts`): named so the member
    # knows a list kept there is not in the disclosure.
    hidden_sheets: list[str] = field(default_factory=list)
    # Other visible worksheets holding a list too (`parsing.Table.other_lists`): not
    # read; named so the member does not take the chosen one for the whole workbook.
    other_lists: list[str] = field(default_factory=list)
    # What the effect was computed against (`seen_files`): the lists in the
    # disclosure now, as the confirm form posts them back.
    seen_files: str = ""
    # Other files of the year confirmed and still being processed (named: each
    # changes the disclosure when the worker reaches it).
    on_the_way: list[str] = field(default_factory=list)


def _mode(sl: SupplierList, current: list[SupplierList]) -> str:
    return ("add" if sl.adds_to else "replace") if current else "first"


def confirmed_on_the_way(sl: SupplierList) -> list[SupplierList]:
    """Other lists of the member's year confirmed and not yet processed: each
    becomes a version of the disclosure when the worker reaches it (a replacement
    confirmed in a second tab is one until then)."""
    return list(
        SupplierList.objects.filter(
            covenant_id=sl.covenant_id,
            organisation_id=sl.organisation_id,
            year=sl.year,
            confirmed=True,
            status__in=[SupplierList.Status.QUEUED, SupplierList.Status.PROCESSING],
        )
        .exclude(pk=sl.pk)
        .order_by("pk")
    )


def seen_files(current: list[SupplierList], on_the_way: list[SupplierList]) -> str:
    """The lists a preview's effect was computed against, and those confirmed on
    their way, as the web's confirm form posts them back ("12,15+18"; "" for
    none): confirming is refused when they changed (`services.confirm_list`). The
    mode alone did not pin it: a file previewed as replacing "a.csv" would, after
    another tab replaced a.csv by b.csv, have replaced b.csv on the same Confirm
    (in the demo, with b.csv still waiting for the worker: current was a.csv
    still, and the one processed last won)."""
    text = ",".join(str(pk) for pk in sorted(c.pk for c in current))
    if on_the_way:
        text += "+" + ",".join(str(pk) for pk in sorted(c.pk for c in on_the_way))
    return text


def preview_mode(sl: SupplierList) -> str:
    """What confirming the list does now: "first" (it becomes the year's
    disclosure), "add" or "replace"."""
    return _mode(sl, current_lists_for(sl.covenant_id, sl.organisation_id, sl.year))


def preview(sl: SupplierList) -> Preview:
    current = current_lists_for(sl.covenant_id, sl.organisation_id, sl.year)
    on_the_way = confirmed_on_the_way(sl)
    effect = effect_of(locations(current), locations(lists_after(sl, current)))
    bad = sl.rows.exclude(status=SupplierListRow.Status.VALID).order_by("number")
    warned = sl.rows.filter(status=SupplierListRow.Status.VALID).exclude(warnings=[])
    samples = list(
        sl.rows.exclude(name="").order_by("number").values_list("name", flat=True)[:SAMPLE]
    )
    return Preview(
        mode=_mode(sl, current),
        current_files=[c.original_name for c in current],
        counts=effect.counts(),
        added=effect.added[:SAMPLE],
        removed=effect.removed[:SAMPLE],
        changed=effect.changed[:SAMPLE],
        error_rows=bad.count(),
        errors=list(bad[:SAMPLE]),
        warned_rows=warned.count(),
        warned=list(warned.order_by("number")[:SAMPLE]),
        samples=samples,
        encoding=str((sl.summary or {}).get("encoding") or sl.encoding or ""),
        sheet=str((sl.summary or {}).get("sheet") or ""),
        hidden_sheets=[str(n) for n in (sl.summary or {}).get("hidden_sheets") or []],
        other_lists=[str(n) for n in (sl.summary or {}).get("other_lists") or []],
        seen_files=seen_files(current, on_the_way),
        on_the_way=[c.original_name for c in on_the_way],
    )
