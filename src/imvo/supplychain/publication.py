"""The publication rule: when a covenant's production locations may be shown to the public.

The covenant's promise to its members: disclose your production locations and
the public sees them aggregated, never linked to you without your consent. So
every public surface (page, filters, search, downloads, API, report figures,
the complaint form's facility search) asks this module first:

- a year is public only when the secretariat published it (`PublishedYear`)
  **and** at least K members (`DisclosurePolicy.min_members`, default 5, never
  below 3) have a current disclosure for it. Until then the public sees the
  last year that passes, and is told why the newer one is not there yet;
- a filter or search whose locations were disclosed by fewer than K members
  shows nothing (a message says why): otherwise "country = Myanmar" could be
  one member's Myanmar list;
- only organisations that source disclose (companies; branch organisations
  only when the covenant allows it): a union's upload is refused, and rows of
  a non-sourcing organisation never reach a public surface.

K below 3 is refused: with two members, each could subtract its own list from
the public one and read the other's.

Published years are snapshots: publishing a year materialises its public rows
(`PublicLocation`: location, country, sector, member count; and, confidential,
`PublicLocationMember`: who stood behind each, to count a filter's members and
name those who consent) in their own indexed tables. Every public surface reads
them (`imvo.supplychain.public`), never the members' lists. A change to a
published year's disclosures (a version, a processed list, a decision) reaches
its snapshot once K members have changed theirs, so a before/after comparison
never isolates one member's change (`refresh_published`; off the public pages
below K, and back with the same rule);
withdrawing a year deletes its snapshot (cascade).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F, Max, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imvo.accounts import services as roles
from imvo.core.cache import bump_data_version, cached, data_version
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.text import fold, whole_number
from imvo.covenants.models import Covenant, Organisation
from imvo.supplychain.models import (
    DisclosurePolicy,
    Facility,
    Match,
    PublicLocation,
    PublicLocationMember,
    PublishedYear,
    SupplierList,
)

# Matches that tie a row to a facility (and so count on the public list).
LINKING = [Match.Status.AUTOMATIC, Match.Status.CONFIRMED, Match.Status.NEW]


def policy_for(covenant: Covenant | int) -> DisclosurePolicy:
    """The covenant's policy, or the defaults (unsaved) when it has none."""
    covenant_id = covenant if isinstance(covenant, int) else covenant.pk
    policy = DisclosurePolicy.objects.filter(covenant_id=covenant_id).first()
    return policy or DisclosurePolicy(covenant_id=covenant_id)


def sourcing_types(covenant: Covenant | int) -> list[str]:
    """Organisation types whose supplier lists count as disclosures in this covenant."""
    types = [Organisation.Type.COMPANY.value]
    if policy_for(covenant).branch_organisations_disclose:
        types.append(Organisation.Type.BRANCH.value)
    return types


def check_may_disclose(organisation: Organisation, covenant: Covenant) -> None:
    """Refuse an upload by an organisation that does not source (a union, an NGO...)."""
    if organisation.type not in sourcing_types(covenant):
        raise PermissionDeniedError(
            _(
                "Only companies that source disclose production locations in this covenant; "
                "a %(type)s does not upload a supplier list."
            )
            % {"type": organisation.get_type_display().lower()}
        )


def current_lists(covenant: Covenant, year: int | None = None) -> QuerySet[SupplierList]:
    """The processed, current lists of sourcing members: what a disclosure is made of."""
    qs = SupplierList.objects.current().filter(
        covenant=covenant,
        status=SupplierList.Status.DONE,
        organisation__type__in=sourcing_types(covenant),
    )
    return qs if year is None else qs.filter(year=year)


def current_links(covenant: Covenant, year: int | None = None) -> QuerySet[Match]:
    """Links of current disclosures to facilities (confidential: which member where)."""
    qs = Match.objects.filter(
        row__supplier_list__in=current_lists(covenant, year),
        status__in=LINKING,
        facility__isnull=False,
    )
    return qs


def disclosing_members(covenant: Covenant, year: int) -> int:
    """How many members have a current disclosure for the year that links at least
    one production location (an empty or all-rejected list does not count: it
    would let two real lists pass for three). The year's lists first, then their
    links by list id: the planner then uses the row index (190 ms -> 2 ms on the
    load-test data)."""
    lists = dict(current_lists(covenant, year).values_list("pk", "organisation_id"))
    linked = (
        Match.objects.filter(
            row__supplier_list_id__in=list(lists), status__in=LINKING, facility__isnull=False
        )
        .values_list("row__supplier_list_id", flat=True)
        .distinct()
    )
    return len({lists[list_id] for list_id in linked})


@dataclass(frozen=True)
class YearStatus:
    """Where a year stands on the way to the public list."""

    year: int
    members: int
    min_members: int
    published: bool
    # Members behind the published snapshot (0 when there is none): what the
    # public sees is the snapshot, so it is the snapshot that must reach K.
    published_members: int = 0
    # Members whose change waits until K members have changed (refresh_published).
    waiting: int = 0
    # A year not yet public: the public year it is compared with and how many
    # members' changes against it publishing now would hold back (`plan_new_year`).
    base: int | None = None
    held: int = 0

    @property
    def public(self) -> bool:
        return self.published and self.published_members >= self.min_members


def _snapshot_members(covenant: Covenant | int) -> dict[int, tuple[int, int]]:
    """Published year -> (distinct members behind its snapshot (0: no snapshot),
    members whose change waits)."""
    covenant_id = covenant if isinstance(covenant, int) else covenant.pk
    return {
        year: (members, waiting)
        for year, members, waiting in PublishedYear.objects.filter(
            covenant_id=covenant_id
        ).values_list("year", "members", "waiting")
    }


def year_statuses(covenant: Covenant) -> list[YearStatus]:
    """Every year with a disclosure or a publication decision, newest first."""
    k = policy_for(covenant).min_members
    snapshot = _snapshot_members(covenant)
    published = set(snapshot)
    counts: dict[int, set[int]] = {}
    for year, org in (
        current_links(covenant)
        .values_list("row__supplier_list__year", "row__supplier_list__organisation_id")
        .distinct()
    ):
        counts.setdefault(year, set()).add(org)
    years = sorted(set(counts) | published, reverse=True)
    statuses = [
        YearStatus(y, len(counts.get(y, ())), k, y in published, *snapshot.get(y, (0, 0)))
        for y in years
    ]
    out = []
    for status in statuses:
        if not status.published and status.members >= k:
            plan = plan_new_year(covenant, status.year, k)
            status = replace(status, base=plan.base, held=len(plan.held))
        out.append(status)
    return out


class Snapshot(NamedTuple):
    """A published year's snapshot as the public pages read it (PublishedYear)."""

    pk: int
    members: int
    locations: int = 0
    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublicState:
    """What the public may see of a covenant's lists, read once per answer: K, the
    sourcing organisation types, and each published year's snapshot (id, members,
    and what the pages show of the whole: locations, countries, sectors)."""

    min_members: int
    sourcing_types: tuple[str, ...]
    snapshots: dict[int, Snapshot]  # year -> its snapshot
    # The newest year of the covenant's processed lists (None: none): whether a
    # year newer than the public ones may be on its way (next_year_status).
    newest_list_year: int | None = field(default=None, compare=False)

    @property
    def years(self) -> list[int]:
        """Public years, newest first: published, with a snapshot of >= K members."""
        return sorted(
            (y for y, snap in self.snapshots.items() if snap.members >= self.min_members),
            reverse=True,
        )

    def snapshot(self, year: int | None) -> Snapshot | None:
        """The snapshot of a public year, None when the year is not public."""
        if year is None or year not in self.years:
            return None
        return self.snapshots[year]

    def published_id(self, year: int | None) -> int | None:
        """The snapshot's id of a public year, None when the year is not public."""
        snap = self.snapshot(year)
        return None if snap is None else snap.pk

    def year(self, requested: Any = None) -> int | None:
        """The requested year if it is public, else the newest public one."""
        value = whole_number(requested)
        if value is not None and value in self.years:
            return value
        return self.years[0] if self.years else None


def _state_sql(by_slug: bool = False) -> str:
    """The statement of `public_state`: the covenant's policy and published years by
    LEFT JOINs from the covenant (a row of NULLs without either), and the newest
    year of its processed lists, as a scalar subquery by the list's covenant index
    (next_year_status). Written out: the ORM building and compiling it was ~0.4 ms
    of Python on every public answer with the cache off. `by_slug`: the covenant
    found by its slug, its own columns first (`public_covenant`)."""
    from imvo.covenants.services import covenant_columns

    quote = connection.ops.quote_name

    def table(model: Any) -> str:
        return quote(model._meta.db_table)

    def col(model: Any, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    year_cols = ", ".join(
        f"y.{col(PublishedYear, f)}"
        for f in ("year", "id", "members", "location_count", "countries", "sectors")
    )
    lists = SupplierList
    # Interpolated: table and column names from the models only; values are parameters.
    covenant = f"{covenant_columns('c')}, " if by_slug else ""
    where = f"c.{col(Covenant, 'slug')}" if by_slug else f"c.{col(Covenant, 'id')}"
    return (
        f"SELECT {covenant}p.{col(DisclosurePolicy, 'min_members')}, "  # noqa: S608
        f"p.{col(DisclosurePolicy, 'branch_organisations_disclose')}, {year_cols}, "
        f"(SELECT MAX(l.{col(lists, 'year')}) FROM {table(lists)} l "
        f"WHERE l.{col(lists, 'covenant')} = c.{col(Covenant, 'id')} "
        f"AND l.{col(lists, 'status')} = %s) "
        f"FROM {table(Covenant)} c "
        f"LEFT JOIN {table(DisclosurePolicy)} p "
        f"ON p.{col(DisclosurePolicy, 'covenant')} = c.{col(Covenant, 'id')} "
        f"LEFT JOIN {table(PublishedYear)} y "
        f"ON y.{col(PublishedYear, 'covenant')} = c.{col(Covenant, 'id')} "
        f"WHERE {where} = %s"
    )


def public_state(covenant: Covenant) -> PublicState:
    """One query (the policy and the published years with their summaries, by
    LEFT JOINs from the covenant, and the newest processed list's year), kept
    under the public-list version: every public answer starts here."""

    def compute() -> PublicState:
        with connection.cursor() as cursor:
            cursor.execute(_state_sql(), [SupplierList.Status.DONE.value, covenant.pk])
            return _state_of(covenant.pk, cursor.fetchall())

    return cached(lambda: public_cache_key(covenant, None, "public-state"), compute)


def public_covenant(user: Any, slug: str) -> tuple[Covenant, PublicState] | None:
    """The covenant `slug` as `user` sees it (visible_covenant) and its public state
    (public_state), None when there is no such covenant for `user`. With caching
    off and every covenant visible, both come from one statement (the state's, from
    the covenant found by its slug): a round trip less on every public answer
    that misses (docs/performance.md)."""
    from imvo.core.cache import content_seconds
    from imvo.covenants.services import covenant_from_row, every_covenant_visible, visible_covenant

    if content_seconds() > 0 or "\x00" in slug or not every_covenant_visible(user):
        found = visible_covenant(user, slug)
        return None if found is None else (found, public_state(found))
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(by_slug=True), [SupplierList.Status.DONE.value, slug])
        rows = cursor.fetchall()
    if not rows:
        return None
    covenant = covenant_from_row(rows[0])
    width = len(Covenant._meta.concrete_fields)
    return covenant, _state_of(covenant.pk, [row[width:] for row in rows])


def _state_of(covenant_id: int, rows: list[Any]) -> PublicState:
    """The PublicState of `_state_sql`'s rows (without the covenant's own columns)."""

    def listed(value: Any) -> tuple[str, ...]:
        # A JSON list as the backend returns it: its text (a decoded list on a
        # backend that decodes it itself).
        return tuple((json.loads(value) if isinstance(value, str) else value) or ())

    default = DisclosurePolicy(covenant_id=covenant_id)  # a covenant without a policy row
    k, branches = rows[0][:2] if rows and rows[0][0] is not None else (None, None)
    types = [Organisation.Type.COMPANY.value]
    if default.branch_organisations_disclose if branches is None else branches:
        types.append(Organisation.Type.BRANCH.value)
    snapshots = {
        year: Snapshot(pk, members, locations, listed(countries), listed(sectors))
        for _k, _b, year, pk, members, locations, countries, sectors, _n in rows
        if year is not None
    }
    newest = rows[0][-1] if rows else None
    return PublicState(default.min_members if k is None else k, tuple(types), snapshots, newest)


def public_years(covenant: Covenant) -> list[int]:
    """Years whose list the public may see, newest first."""
    return public_state(covenant).years


def public_published_years(covenant: Covenant | None = None) -> QuerySet[PublishedYear]:
    """The PublishedYear rows the public may see (of one covenant, or of all):
    snapshots of at least K members (the complaint form's facility search)."""
    published = PublishedYear.objects.annotate(
        k=Coalesce("covenant__disclosure_policy__min_members", DisclosurePolicy.DEFAULT_MIN_MEMBERS)
    ).filter(members__gte=F("k"))
    return published if covenant is None else published.filter(covenant=covenant)


def published_year_id(covenant: Covenant, year: int | None) -> int | None:
    """The snapshot of a public year, None when the year is not public."""
    return public_state(covenant).published_id(year)


def next_year_status(covenant: Covenant, state: PublicState | None = None) -> YearStatus | None:
    """The newest year that is not public yet, if it is newer than the public ones:
    the public page says what it waits for. Only years newer than the newest
    public one are looked for (the published ones are in `state`, and so is the
    newest year of the covenant's processed lists, read with it), and members are counted for that one year only (counting every
    year's links cost 250 ms at load-test size)."""
    state = state or public_state(covenant)
    k = state.min_members
    snapshot = {y: snap.members for y, snap in state.snapshots.items()}
    newest = max(state.years, default=None)
    candidates = [y for y in snapshot if newest is None or y > newest]
    # Usually there is no newer list at all: the state's newest processed list says
    # so (read with it), before the joins that say which lists are current and
    # sourcing (not even built otherwise: ~1 ms of Python on every public page).
    listed_year = state.newest_list_year
    if listed_year is not None and (newest is None or listed_year > newest):
        lists = SupplierList.objects.current().filter(
            covenant=covenant,
            status=SupplierList.Status.DONE,
            organisation__type__in=state.sourcing_types,
        )
        if newest is not None:
            lists = lists.filter(year__gt=newest)
        listed = lists.order_by().aggregate(newest=Max("year"))["newest"]
        if listed is not None:
            candidates.append(listed)
    if not candidates:
        return None
    year = max(candidates)
    return YearStatus(
        year, disclosing_members(covenant, year), k, year in snapshot, snapshot.get(year, 0)
    )


def public_year(covenant: Covenant, requested: Any = None) -> int | None:
    """The year to show: the requested one if it is public, else the newest public one."""
    return public_state(covenant).year(requested)


# The K rule of a selection (the whole list of a public year has K members by
# construction; a filtered one is counted: public.Listing, the distinct members
# behind its snapshot locations) says why it is not shown with these:


def no_public_list() -> str:
    """Why a year's list is not shown: it is not public."""
    return _("There is no public list of production locations for this year yet.")


def others_figure(others: int, k: int) -> str:
    """What a member reads of how many *other* members source at one of its own
    facilities: "0"; while fewer than K members source there (the member itself
    included, as every K figure counts) the range "1 to K-2" ("1" when K is 3);
    from K members on, the number.

    That others source there is what joint action needs (and what proposing one
    reveals anyway); how many, below K, is a figure about fewer than K members'
    lists: "1" says exactly one other member has the factory, which K - 2
    colluding members, or a member watching its counts change when a known
    competitor joins or discloses, turns into that competitor's factory. From K on
    the figure rests on K members, as every public figure and a joint action's
    invitation counts (`collective.services.joint.invitation_counts_shown`) do."""
    if others <= 0:
        return "0"
    if others + 1 < k:
        return "1" if k - 2 <= 1 else f"1\u2013{k - 2}"
    return str(others)


def others_rank(others: int, k: int) -> int:
    """The order of `others_figure`: members' pages sort by what they show, so the
    order of two facilities in one range says nothing of their exact counts."""
    return 0 if others <= 0 else (1 if others + 1 < k else others)


def too_few(k: int) -> str:
    """Why a selection is not shown: fewer than K members stand behind it."""
    return _(
        "Fewer than %(k)s members disclosed the locations in this selection, so they are "
        "not shown: that could reveal one member's list. Widen the search or filters."
    ) % {"k": k}


# --- cache versions of the public list ---------------------------------------------------


def bump_public_list_version(**_: Any) -> None:
    bump_data_version("supplychain-public-list")


def public_list_version() -> int:
    """A number that changes whenever the public production-location lists change."""
    return data_version("supplychain-public-list")


def public_cache_key(covenant: Covenant, year: int | None, *parts: Any) -> str:
    """Cache key of public-list data: changes with any supply-chain change in this
    process and with any covenant change (consent to be named). Other server
    processes see a change when the entry expires (PUBLIC_CACHE_SECONDS), unless
    a shared cache is configured (CACHE_URL)."""
    from django.utils.translation import get_language

    from imvo.covenants.services import public_version

    version = public_list_version()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:24]
    return f"sc:public:{version}:{public_version()}:{get_language()}:{covenant.pk}:{year}:{digest}"


# --- the secretariat's decision --------------------------------------------------------


def _require_secretariat(user: Any, covenant: Covenant) -> None:
    if not (roles.is_platform_admin(user) or roles.is_secretariat(user, covenant)):
        raise PermissionDeniedError(_("Only the covenant's secretariat publishes the list."))


def publish_year(user: Any, covenant: Covenant, year: int) -> PublishedYear:
    """Make a year's list public (or publish it again: the snapshot is made anew
    from the current disclosures). Refused while fewer than K members disclosed."""
    _require_secretariat(user, covenant)
    return do_publish_year(covenant, year, user)


def do_publish_year(covenant: Covenant, year: int, user: Any = None) -> PublishedYear:
    """Publish without the role check, for trusted callers (demo, load data)."""
    k = policy_for(covenant).min_members
    members = disclosing_members(covenant, year)
    if members < k:
        raise DomainError(
            ngettext(
                "%(n)s member has disclosed their production locations for %(year)s; at "
                "least %(k)s are needed before the list can be public.",
                "%(n)s members have disclosed their production locations for %(year)s; at "
                "least %(k)s are needed before the list can be public.",
                members,
            )
            % {"n": members, "year": year, "k": k}
        )
    new = not PublishedYear.objects.filter(covenant=covenant, year=year).exists()
    plan = plan_new_year(covenant, year, k) if new else None
    if plan is not None:
        check_years_not_differencing(covenant, year, k, plan.members)
    with transaction.atomic():
        published, created = PublishedYear.objects.get_or_create(
            covenant=covenant, year=year, defaults={"published_by": user}
        )
        if not created:
            from django.utils import timezone

            published.published, published.published_by = timezone.now(), user
            published.save(update_fields=["published", "published_by"])
        materialise(published, plan.members if plan else None)
        if plan is not None and plan.held:
            # What waits is counted as within a year (`refresh_published`): the held
            # members' changes join the next batch of K.
            published.waiting = len(plan.held)
            published.save(update_fields=["waiting"])
        transaction.on_commit(bump_public_list_version)
    return published


def materialise(published: PublishedYear, members: dict[int, set[int]] | None = None) -> int:
    """Write the year's public rows: each linked facility once with its member
    count, and (confidential) which members stood behind it (`members`, facility ->
    members; by default the year's current disclosures). Replaces an earlier
    snapshot of the same year. Returns the number of locations."""
    if members is None:
        members = _members_by_facility(published.covenant, published.year)
    published.locations.all().delete()  # and, by cascade, their member rows
    batch = 2000
    ids = sorted(members)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        locations = PublicLocation.objects.bulk_create(
            [
                public_location(published, f, len(members[f.pk]))
                for f in Facility.objects.filter(pk__in=chunk).only(
                    "name", "name_norm", "address", "country", "sector", "lat", "lng"
                )
            ]
        )
        PublicLocationMember.objects.bulk_create(
            [
                PublicLocationMember(
                    published_year=published,
                    location=loc,
                    organisation_id=org,
                    search_key=loc.search_key,
                )
                for loc in locations
                for org in sorted(members[loc.facility_id])
            ],
            batch_size=batch,
        )
    published.members = len(set().union(*members.values())) if members else 0
    published.waiting = 0
    summarise(published)
    published.save(update_fields=["members", "waiting", *SUMMARY_FIELDS])
    return len(ids)


def public_location(published: PublishedYear, f: Facility, members: int) -> PublicLocation:
    """The public row of facility `f` in the year `published` (not saved): what
    the facility shows and the folded keys the list sorts, searches and filters
    on, with the number of `members` behind it."""
    sort_name, address_key = fold(f.name), fold(f.address)
    return PublicLocation(
        published_year=published,
        facility_id=f.pk,
        name=f.name,
        sort_name=sort_name,
        name_norm=f.name_norm,
        address=f.address,
        address_key=address_key,
        search_key=PublicLocation.search_text(sort_name, f.name_norm, address_key),
        country=f.country,
        sector=f.sector,
        sector_key=fold(f.sector),
        lat=f.lat,
        lng=f.lng,
        members=members,
    )


def _members_by_facility(covenant: Covenant, year: int) -> dict[int, set[int]]:
    """Linked facility -> the members whose current disclosure links it."""
    members: dict[int, set[int]] = {}
    for fid, org in (
        current_links(covenant, year)
        .values_list("facility_id", "row__supplier_list__organisation_id")
        .distinct()
    ):
        members.setdefault(fid, set()).add(org)
    return members


def _by_member(members: dict[int, set[int]]) -> dict[int, set[int]]:
    """Facility -> members turned into member -> facilities."""
    out: dict[int, set[int]] = {}
    for fid, orgs in members.items():
        for org in orgs:
            out.setdefault(org, set()).add(fid)
    return out


def _shown(published: PublishedYear, only: Iterable[int] | None = None) -> dict[int, set[int]]:
    """Member -> the facilities the snapshot holds of it."""
    rows = PublicLocationMember.objects.filter(published_year=published)
    if only is not None:
        rows = rows.filter(organisation_id__in=list(only))
    shown: dict[int, set[int]] = {}
    for org, fid in rows.values_list("organisation_id", "location__facility_id"):
        shown.setdefault(org, set()).add(fid)
    return shown


def _differing(a: dict[int, set[int]], b: dict[int, set[int]]) -> set[int]:
    return {org for org in a.keys() | b.keys() if a.get(org) != b.get(org)}


def changed_members(published: PublishedYear, year: int | None = None) -> set[int]:
    """Members whose linked locations now differ from what the snapshot holds of
    them (a member that joined, left, added, dropped or moved a location); with
    `year`, members whose locations in that year's disclosures differ from it."""
    current = published.year if year is None else year
    now = _by_member(_members_by_facility(published.covenant, current))
    return _differing(now, _shown(published))


@dataclass(frozen=True)
class NewYearPlan:
    """What publishing a year not yet public would write (docs/supplychain.md,
    "Publication rule", "Comparing two years").

    `base` is the public year compared with (the nearest before, else after); when
    the members whose locations differ from it (named members aside) number 1 to
    K-1, they are `held`: their rows of `base` stand in the new year's snapshot, so
    the two years' lists differ by no one member's change. Their changes then wait
    as within a year (`refresh_published`), released once K members changed or when
    the secretariat publishes the year again. `held` is never shown, only its size.
    """

    year: int
    base: int | None
    held: frozenset[int]
    members: dict[int, set[int]]  # facility -> members: the snapshot to write


def plan_new_year(covenant: Covenant, year: int, k: int | None = None) -> NewYearPlan:
    """The snapshot a year not yet public would get if published now."""
    k = k or policy_for(covenant).min_members
    members = _members_by_facility(covenant, year)
    public = list(
        PublishedYear.objects.filter(covenant=covenant, members__gt=0)
        .exclude(year=year)
        .select_related("covenant")
    )
    base = min(public, key=lambda p: (p.year > year, abs(p.year - year)), default=None)
    if base is None:
        return NewYearPlan(year, None, frozenset(), members)
    held = _differing(_by_member(members), _shown(base)) - named_members(covenant)
    if not 0 < len(held) < k:
        return NewYearPlan(year, base.year, frozenset(), members)
    kept = {fid: orgs - held for fid, orgs in members.items() if orgs - held}
    for org, fids in _shown(base, only=held).items():
        for fid in fids:
            kept.setdefault(fid, set()).add(org)
    return NewYearPlan(year, base.year, frozenset(held), kept)


def check_years_not_differencing(
    covenant: Covenant, year: int, k: int, members: dict[int, set[int]] | None = None
) -> None:
    """Refuse to publish a new year whose list (`members`, facility -> members:
    the snapshot about to be written, `plan_new_year`) differs from another public
    year's in the locations of 1 to K-1 members (those named by consent aside):
    the difference between the two years' lists would be what those members
    changed. A member that joins while the others carry their lists over would
    have its list read off as the new year minus the old one (docs/security.md,
    T49), the differencing the batches guard against within a year
    (`refresh_published`). Holding the few members' changes back against the
    nearest public year (`plan_new_year`) passes that year; another public year
    may still differ by a few members (their lists moved between the two)."""
    named = named_members(covenant)
    now = _by_member(members if members is not None else _members_by_facility(covenant, year))
    for other in (
        PublishedYear.objects.filter(covenant=covenant, members__gt=0)
        .exclude(year=year)
        .select_related("covenant")
    ):
        held = _differing(now, _shown(other)) - named
        if 0 < len(held) < k:
            raise DomainError(
                _(
                    "%(year)s cannot be published yet: the members whose locations differ "
                    "from the public list of %(other)s number %(n)s, fewer than %(k)s, so "
                    "comparing the two lists would show what they changed. It can be "
                    "published once at least %(k)s members' locations differ from %(other)s "
                    "(or none do)."
                )
                % {"n": len(held), "year": year, "other": other.year, "k": k}
            )


def named_members(covenant: Covenant) -> set[int]:
    """Members that consented to be named with their locations: their list is
    public anyway, so their changes need not wait for others'."""
    from imvo.covenants.models import Adherence

    return set(
        Adherence.objects.filter(covenant=covenant, consent_to_be_named=True).values_list(
            "organisation_id", flat=True
        )
    )


SUMMARY_FIELDS = ("location_count", "countries", "sectors")


def summarise(published: Any) -> None:
    """Set what the public pages show of the whole snapshot from its rows: the
    number of locations, the country codes and the sectors (the filters), each
    sorted. Called whenever the snapshot's rows are written or emptied (and by
    the migration that added these fields, with its historical model)."""
    rows = PublicLocation.objects.filter(published_year_id=published.pk).order_by()
    published.location_count = rows.count()
    published.countries = sorted(set(rows.values_list("country", flat=True).distinct()))
    published.sectors = sorted(
        s for s in set(rows.values_list("sector", flat=True).distinct()) if s
    )


def withdraw_year(user: Any, covenant: Covenant, year: int) -> bool:
    """Take a year's list off the public pages again (its snapshot goes with it).
    False when the year was not published."""
    _require_secretariat(user, covenant)
    with transaction.atomic():
        deleted, _by_model = PublishedYear.objects.filter(covenant=covenant, year=year).delete()
        transaction.on_commit(bump_public_list_version)
    return deleted > 0


# The largest K the secretariat may set (a larger number, typed by mistake, would take
# every year off the public pages; a 20-digit one overflowed the database: a 500).
MAX_MIN_MEMBERS = 1000


def set_min_members(user: Any, covenant: Covenant, min_members: int) -> DisclosurePolicy:
    """The secretariat sets K for its covenant (at least 3, at most MAX_MIN_MEMBERS)."""
    _require_secretariat(user, covenant)
    if min_members > MAX_MIN_MEMBERS:
        raise DomainError(
            _("At most %(n)s members: no covenant has more.") % {"n": MAX_MIN_MEMBERS}
        )
    if min_members < DisclosurePolicy.MIN_MEMBERS_FLOOR:
        raise DomainError(
            _(
                "At least %(n)s members are needed: with fewer, one member could read another's list."
            )
            % {"n": DisclosurePolicy.MIN_MEMBERS_FLOOR}
        )
    policy, _created = DisclosurePolicy.objects.update_or_create(
        covenant=covenant, defaults={"min_members": min_members}
    )
    transaction.on_commit(bump_public_list_version)
    return policy


# --- keeping a published year's snapshot in step with its disclosures ---------------


def refresh_published(covenant_id: int, year: int) -> None:
    """Bring a published year's snapshot in step after one of its disclosures
    changed (a version confirmed or restored, a list processed, a match decided).

    - Fewer than K members disclose now: the year is off the public pages
      (`members` = 0) until enough members disclose again. Its rows are kept,
      out of sight, as what the public last saw.
    - Otherwise the changes are released in batches: the snapshot is written
      anew once the members whose locations changed since it was written (those
      named by consent aside: their list is public anyway) are none or at least
      K. With 1..K-1 of them it stays as it is and counts them (`waiting`), so
      nobody comparing the public list before and after a change can read what
      one member changed. "Publish again" (the secretariat) releases at once.
    - A year back at K members after a gap follows the same rule against the
      rows the public last saw: with 1..K-1 members changed since, those rows
      come back as they were (before, the year came back written anew, and its
      difference with the list before the gap was what changed meanwhile).

    Nothing happens for a year that is not published."""
    published = (
        PublishedYear.objects.filter(covenant_id=covenant_id, year=year)
        .select_related("covenant")
        .first()
    )
    if published is None:
        return
    k = policy_for(covenant_id).min_members
    with transaction.atomic():
        if disclosing_members(published.covenant, year) < k:
            if published.members == 0:
                return  # already off the public pages
            published.members = published.waiting = 0
            published.save(update_fields=["members", "waiting"])
        else:
            changed = changed_members(published)
            held = changed - named_members(published.covenant)
            shown = published.location_members.values("organisation_id").distinct().count()
            if not shown or (changed and (not held or len(held) >= k)):
                materialise(published)
            elif published.members != shown or published.waiting != len(held):
                # Too few changes to show (or none: a member went back): the
                # rows stay as they are, back on the public pages after a gap.
                was_public = published.members > 0
                published.members, published.waiting = shown, len(held)
                published.save(update_fields=["members", "waiting"])
                if was_public:
                    return  # the public list did not change
            else:
                return
        transaction.on_commit(bump_public_list_version)


def refresh_on_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: the (covenant, year) a saved list or match belongs to is
    refreshed if it is published. Lists only once processed (progress saves do
    not count). New disclosure versions call `refresh_published` themselves."""
    if isinstance(instance, SupplierList):
        if instance.status != SupplierList.Status.DONE:
            return
        key = (instance.covenant_id, instance.year)
    elif isinstance(instance, Match):
        sl = SupplierList.objects.filter(rows__match=instance).values("covenant_id", "year").first()
        if sl is None:
            return
        key = (sl["covenant_id"], sl["year"])
    else:
        return
    if PublishedYear.objects.filter(covenant_id=key[0], year=key[1]).exists():
        refresh_published(*key)
