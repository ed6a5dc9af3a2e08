"""A member's leverage at its facilities (UNGP 19: leverage shapes the action).

Purchase-share band, years of relationship and yearly order value, one record per
(member, facility): private to the member and its covenant's secretariat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.collective import overlap
from imvo.collective.models import Leverage, ShareBand
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.seams import company_party_adherences
from imvo.supplychain.seams import others_figure, others_rank

MAX_YEARS = 150


@dataclass(frozen=True)
class MyFacility:
    """One of the member's disclosed facilities with its leverage and overlap count."""

    facility_id: int
    name: str
    country: str
    covenant_id: int
    share_band: str
    years: int | None
    order_value: int | None
    # Other members of the covenant disclosing it, never who, as the supply chain's
    # shared-facilities page shows it (`supplychain.seams.others_figure`): "0", the
    # band "1 to K-2" below K, the number from K on; "" while fewer than K members
    # disclose in the covenant (`overlap.counts_shown`): then nothing is shown.
    others: str
    # Whether other members source there (joint action can be proposed): True only
    # when the figure is shown and not "0".
    shared: bool
    # The order of the figure (`others_rank`): equal within a band.
    rank: int


def my_facilities(user: Any) -> list[MyFacility]:
    """The member's current facilities, shared ones first."""
    org = roles.organisation_id(user)
    if org is None:
        return []
    links = overlap.facilities_of(org)
    covenant_of: dict[int, int] = {}
    for link in sorted(links, key=lambda k: k.covenant_id):
        covenant_of.setdefault(link.facility_id, link.covenant_id)
    sharing: dict[int, set[int]] = {}
    threshold: dict[int, int] = {}
    # Counts of other members only in covenants the organisation is still an active
    # member company of: one that left kept its current list, and with it a reading
    # of the members' overlap at its factories (docs/security.md, T79).
    member_of = set(company_party_adherences(org).values_list("covenant_id", flat=True))
    for cid in set(covenant_of.values()):
        if cid not in member_of or not overlap.counts_shown(cid):
            continue
        threshold[cid] = overlap.disclosure_threshold(cid)
        sharing.update(
            overlap.members_at([f for f, c in covenant_of.items() if c == cid], cid).items()
        )
    records = {
        r.facility_id: r
        for r in Leverage.objects.visible_to(user).filter(
            organisation_id=org, facility_id__in=list(covenant_of)
        )
    }
    from imvo.supplychain.models import Facility

    facilities = Facility.objects.in_bulk(list(covenant_of))
    out = []
    for fid, cid in covenant_of.items():
        r = records.get(fid)
        f = facilities[fid]
        k = threshold.get(cid)
        n = len(sharing.get(fid, set()) - {org})
        out.append(
            MyFacility(
                facility_id=fid,
                name=f.name,
                country=f.country,
                covenant_id=cid,
                share_band=r.share_band if r else "",
                years=r.years if r else None,
                order_value=r.order_value if r else None,
                others=others_figure(n, k) if k is not None else "",
                shared=k is not None and n > 0,
                rank=others_rank(n, k) if k is not None else 0,
            )
        )
    out.sort(key=lambda m: (-m.rank, m.country, m.name.lower(), m.facility_id))
    return out


def check_save_leverage(
    user: Any,
    facility_id: int,
    share_band: str = "",
    years: int | None = None,
    order_value: int | None = None,
) -> Leverage:
    """A member records its leverage at a facility it discloses."""
    org = roles.organisation_id(user)
    if org is None:
        raise PermissionDeniedError(_("Only a member company records its leverage."))
    links = sorted(
        (k for k in overlap.facilities_of(org) if k.facility_id == facility_id),
        key=lambda k: k.covenant_id,
    )
    if not links:
        raise PermissionDeniedError(_("This facility is not on your current supplier list."))
    if share_band and share_band not in ShareBand.values:
        raise DomainError(
            _("Purchase share: choose one of %(bands)s.") % {"bands": ", ".join(ShareBand.values)}
        )
    if years is not None and not 0 <= years <= MAX_YEARS:
        raise DomainError(_("Years of relationship must be between 0 and 150."))
    if order_value is not None and order_value < 0:
        raise DomainError(_("Order value cannot be negative."))
    return do_save_leverage(user, org, links[0].covenant_id, facility_id, share_band, years,
                            order_value)  # fmt: skip


def do_save_leverage(
    user: Any,
    organisation_id: int,
    covenant_id: int,
    facility_id: int,
    share_band: str,
    years: int | None,
    order_value: int | None,
) -> Leverage:
    with transaction.atomic():
        record, _created = Leverage.objects.update_or_create(
            organisation_id=organisation_id,
            facility_id=facility_id,
            defaults={
                "covenant_id": covenant_id,
                "share_band": share_band,
                "years": years,
                "order_value": order_value,
                "updated": timezone.now(),
                "updated_by": user if getattr(user, "pk", None) else None,
            },
        )
    return record
