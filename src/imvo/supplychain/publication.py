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
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from imvo.accounts import services as roles
from imvo.core.cache import bump_data_version, cached, data_version
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Covenant, Organisation
from imvo.supplychain.models import DisclosurePolicy, Match, PublishedYear, SupplierList

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
    would let two real lists pass for three)."""
    return (
        current_links(covenant, year)
        .values("row__supplier_list__organisation_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class YearStatus:
    """Where a year stands on the way to the public list."""

    year: int
    members: int
    min_members: int
    published: bool

    @property
    def public(self) -> bool:
        return self.published and self.members >= self.min_members


def year_statuses(covenant: Covenant) -> list[YearStatus]:
    """Every year with a disclosure or a publication decision, newest first."""
    k = policy_for(covenant).min_members
    published = set(PublishedYear.objects.filter(covenant=covenant).values_list("year", flat=True))
    counts: dict[int, set[int]] = {}
    for year, org in (
        current_links(covenant)
        .values_list("row__supplier_list__year", "row__supplier_list__organisation_id")
        .distinct()
    ):
        counts.setdefault(year, set()).add(org)
    years = sorted(set(counts) | published, reverse=True)
    return [YearStatus(y, len(counts.get(y, ())), k, y in published) for y in years]


def public_years(covenant: Covenant) -> list[int]:
    """Years whose list the public may see, newest first (cached with the public list)."""
    return cached(
        public_cache_key(covenant, None, "public-years"),
        lambda: [s.year for s in year_statuses(covenant) if s.public],
    )


def next_year_status(covenant: Covenant) -> YearStatus | None:
    """The newest year that is not public yet, if it is newer than the public ones:
    the public page says what it waits for."""
    statuses = year_statuses(covenant)
    shown = [s.year for s in statuses if s.public]
    for s in statuses:
        if not s.public and (not shown or s.year > shown[0]):
            return s
    return None


def public_year(covenant: Covenant, requested: Any = None) -> int | None:
    """The year to show: the requested one if it is public, else the newest public one."""
    years = public_years(covenant)
    value = str(requested or "")
    if value.isdigit() and int(value) in years:
        return int(value)
    return years[0] if years else None


def selection_withheld(
    covenant: Covenant, year: int | None, links: QuerySet[Match], filtered: bool
) -> str:
    """Why a selection of the public list is not shown, or "" when it may be.

    The whole list of a public year has K members by construction; a filtered
    selection is counted (distinct members behind its locations)."""
    if year is None or year not in public_years(covenant):
        return _("There is no public list of production locations for this year yet.")
    if not filtered:
        return ""
    k = policy_for(covenant).min_members
    members = links.values("row__supplier_list__organisation_id").distinct().count()
    if members < k:
        return _(
            "Fewer than %(k)s members disclosed the locations in this selection, so they are "
            "not shown: that could reveal one member's list. Widen the search or filters."
        ) % {"k": k}
    return ""


def public_year_filter(prefix: str = "", covenant: Covenant | None = None) -> Q:
    """A Q on supplier lists (through `prefix`) that keeps only lists of public
    (covenant, year) pairs: for searches across covenants."""
    covenants: Iterable[Covenant] = (
        [covenant]
        if covenant is not None
        else Covenant.objects.filter(supplier_lists__isnull=False).distinct()
    )
    q = Q(pk__in=[])
    for c in covenants:
        years = public_years(c)
        if years:
            q |= Q(**{f"{prefix}covenant": c, f"{prefix}year__in": years})
    return q


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
    """Make a year's list public. Refused while fewer than K members disclosed."""
    _require_secretariat(user, covenant)
    k = policy_for(covenant).min_members
    members = disclosing_members(covenant, year)
    if members < k:
        raise DomainError(
            _(
                "%(n)s members have disclosed their production locations for %(year)s; at "
                "least %(k)s are needed before the list can be public."
            )
            % {"n": members, "year": year, "k": k}
        )
    with transaction.atomic():
        published, _created = PublishedYear.objects.get_or_create(
            covenant=covenant, year=year, defaults={"published_by": user}
        )
        transaction.on_commit(bump_public_list_version)
    return published


def withdraw_year(user: Any, covenant: Covenant, year: int) -> None:
    """Take a year's list off the public pages again."""
    _require_secretariat(user, covenant)
    with transaction.atomic():
        PublishedYear.objects.filter(covenant=covenant, year=year).delete()
        transaction.on_commit(bump_public_list_version)


def set_min_members(user: Any, covenant: Covenant, min_members: int) -> DisclosurePolicy:
    """The secretariat sets K for its covenant (at least 3)."""
    _require_secretariat(user, covenant)
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
