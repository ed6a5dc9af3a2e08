"""Who sources at which facility: the one place joint action reads the supply chain.

The supply chain's facility map (current, processed supplier lists and their
matches) is read here and nowhere else in this app, so that when the matching
and disclosure lanes reshape the supply chain only this module follows. It
never writes there. What it returns is confidential: callers decide who may
learn what (a member only ever learns a count of others, never who).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from imvo.supplychain.models import DisclosurePolicy, Facility, Match, SupplierList

# Match states that tie a row to a facility (the supply chain's own rule, Match.links).
_LINKING = (Match.Status.AUTOMATIC, Match.Status.CONFIRMED, Match.Status.NEW)


@dataclass(frozen=True)
class Link:
    """One member's current disclosure of one facility in one covenant."""

    facility_id: int
    organisation_id: int
    covenant_id: int


def _current(covenant_id: int | None = None) -> QuerySet[Match]:
    qs = Match.objects.filter(
        status__in=_LINKING,
        facility__isnull=False,
        row__supplier_list__status=SupplierList.Status.DONE,
        row__supplier_list__versions__is_current=True,  # SupplierList.objects.current()
    )
    if covenant_id is not None:
        qs = qs.filter(row__supplier_list__covenant_id=covenant_id)
    return qs


def _links(qs: QuerySet[Match]) -> set[Link]:
    return {
        Link(f, o, c)
        for f, o, c in qs.values_list(
            "facility_id",
            "row__supplier_list__organisation_id",
            "row__supplier_list__covenant_id",
        )
    }


def facilities_of(organisation_id: int, covenant_id: int | None = None) -> set[Link]:
    """The member's currently disclosed facilities (in one covenant, or all)."""
    return _links(_current(covenant_id).filter(row__supplier_list__organisation_id=organisation_id))


def members_at(facility_ids: set[int] | list[int], covenant_id: int) -> dict[int, set[int]]:
    """Per facility, the organisations of the covenant whose current list links to it."""
    out: dict[int, set[int]] = defaultdict(set)
    for link in _links(_current(covenant_id).filter(facility_id__in=list(facility_ids))):
        out[link.facility_id].add(link.organisation_id)
    return out


def discloses(organisation_id: int, facility_id: int, covenant_id: int) -> bool:
    return (
        _current(covenant_id)
        .filter(facility_id=facility_id, row__supplier_list__organisation_id=organisation_id)
        .exists()
    )


def members_in_country(country: str, covenant_id: int) -> set[int]:
    """Organisations of the covenant with a current facility in the country."""
    return set(
        _current(covenant_id)
        .filter(facility__country=country.upper())
        .values_list("row__supplier_list__organisation_id", flat=True)
    )


def sources_in_country(organisation_id: int, country: str, covenant_id: int) -> bool:
    """Whether the member has a current facility in the country (in this covenant)."""
    return (
        _current(covenant_id)
        .filter(
            facility__country=country.upper(), row__supplier_list__organisation_id=organisation_id
        )
        .exists()
    )


def facility(facility_id: int) -> Facility | None:
    return Facility.objects.filter(pk=facility_id).first()


def disclosure_threshold(covenant_id: int) -> int:
    """K: the fewest members behind any public figure (the supply chain's publication rule,
    `supplychain.publication.policy_for`, read through the model: there is no seam yet)."""
    policy = DisclosurePolicy.objects.filter(covenant_id=covenant_id).first()
    return policy.min_members if policy else DisclosurePolicy.DEFAULT_MIN_MEMBERS


def counts_shown(covenant_id: int) -> bool:
    """Whether a member may learn how many other members source somewhere in this
    covenant: only once K members disclose (`disclosure_threshold`). A member can put
    any factory on its own list; with one other member disclosing, a count (or an
    invitation count, or "no one to invite") would say, a factory at a time, which
    are on that member's list."""
    disclosing = (
        _current(covenant_id)
        .values_list("row__supplier_list__organisation_id", flat=True)
        .distinct()
        .count()
    )
    return disclosing >= disclosure_threshold(covenant_id)
