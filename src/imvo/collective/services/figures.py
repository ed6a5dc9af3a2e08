"""Public accountability without names: counts per covenant, by country and theme.

Counts only: facilities under a corrective action plan, CAP items, items fixed
and verified. No member and no facility is named, except a facility whose
status is public because the facility and every joined member agreed
(`cap.is_public`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from imvo.collective.models import CapItem, JointAction
from imvo.collective.services.cap import is_public
from imvo.covenants.models import Covenant


@dataclass
class Tally:
    facilities: set[int] = field(default_factory=set)
    items: int = 0
    verified: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.verified / self.items, 1) if self.items else None


@dataclass(frozen=True)
class PublicStatus:
    facility: str
    country: str
    items: int
    verified: int
    status: str


@dataclass
class CapFigures:
    total: Tally
    by_country: dict[str, Tally]
    by_theme: dict[str, Tally]
    public: list[PublicStatus]


def _end_of(year: int | None) -> datetime | None:
    if year is None:
        return None
    return timezone.make_aware(datetime.combine(date(year, 12, 31), time.max))


def cap_figures(covenant: Covenant, year: int | None = None) -> CapFigures:
    """The covenant's CAP figures, as they stood at the end of `year` (None: now).

    A facility is under a CAP when an open joint action on it has at least one item."""
    until = _end_of(year)
    items = CapItem.objects.filter(
        finding__action__covenant=covenant, finding__action__facility__isnull=False
    ).select_related("finding__action__facility")
    if until is not None:
        items = items.filter(created__lte=until)
    total = Tally()
    by_country: defaultdict[str, Tally] = defaultdict(Tally)
    by_theme: defaultdict[str, Tally] = defaultdict(Tally)
    for item in items:
        action = item.finding.action
        verified = item.status == CapItem.Status.VERIFIED and (
            until is None or (item.verified is not None and item.verified <= until)
        )
        theme = item.finding.theme_code or action.theme_code or "other"
        country = action.facility.country if action.facility else action.country
        for tally in (total, by_country[country], by_theme[theme]):
            tally.items += 1
            tally.verified += int(verified)
            if action.status == JointAction.Status.OPEN and action.facility_id:
                tally.facilities.add(action.facility_id)
    public = []
    actions = JointAction.objects.filter(
        Q(covenant=covenant, facility__isnull=False, facility_consent=True)
    ).select_related("facility")
    for a in actions:
        if not is_public(a):
            continue
        mine = CapItem.objects.filter(finding__action=a)
        public.append(
            PublicStatus(
                facility=a.facility.name if a.facility else "",
                country=a.facility.country if a.facility else a.country,
                items=mine.count(),
                verified=mine.filter(status=CapItem.Status.VERIFIED).count(),
                status=str(a.get_status_display()),
            )
        )
    return CapFigures(total, dict(by_country), dict(by_theme), public)
