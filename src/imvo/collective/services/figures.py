"""Public accountability without names: counts per covenant, by country and theme.

Counts only: facilities under a corrective action plan, CAP items, items fixed
and verified. No member and no facility is named, except a facility whose
status is public because the facility and every joined member agreed
(`cap.is_public`).

The disclosure rule K (the covenant's `DisclosurePolicy.min_members`) holds
here too: a country or theme row resting on fewer than K joined members is not
shown on its own but folded into "Other countries" / "Other themes"
(`fold`); otherwise "Myanmar: 1 facility under a CAP" could be one member's
Myanmar supplier. Every public surface (the page, the report section and its
open data) reads the folded rows, never the raw tallies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from imvo.collective import overlap
from imvo.collective.models import CapItem, JointAction, Participation
from imvo.collective.services.cap import is_public
from imvo.covenants.models import Covenant


@dataclass
class Tally:
    facilities: set[int] = field(default_factory=set)
    members: set[int] = field(default_factory=set)  # joined organisations; never shown
    items: int = 0
    verified: int = 0

    def add(self, other: Tally) -> None:
        self.facilities |= other.facilities
        self.members |= other.members
        self.items += other.items
        self.verified += other.verified

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
    """`by_country`/`by_theme` hold only rows with at least `k` joined members;
    the rest is summed in `other_countries`/`other_themes` (None when empty)."""

    total: Tally
    by_country: dict[str, Tally]
    by_theme: dict[str, Tally]
    public: list[PublicStatus]
    k: int = 0
    other_countries: Tally | None = None
    other_themes: Tally | None = None


def fold(rows: dict[str, Tally], k: int) -> tuple[dict[str, Tally], Tally | None]:
    """Rows with at least `k` joined members, and the rest summed into one "other" row.

    When the other row itself rests on fewer than k members, the smallest named
    rows join it until it does (or none is left): otherwise the total minus the
    named rows would give away what was folded."""
    named = {key: t for key, t in rows.items() if len(t.members) >= k}
    other = Tally()
    for key, t in rows.items():
        if key not in named:
            other.add(t)
    if not other.items:
        return named, None
    for key in sorted(named, key=lambda key: (len(named[key].members), named[key].items, key)):
        if len(other.members) >= k:
            break
        other.add(named.pop(key))
    return named, other


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
    joined: defaultdict[int, set[int]] = defaultdict(set)
    for action_id, org_id in Participation.objects.filter(
        action__covenant=covenant, status=Participation.Status.JOINED
    ).values_list("action_id", "organisation_id"):
        joined[action_id].add(org_id)
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
            tally.members |= joined[action.pk]
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
    k = overlap.disclosure_threshold(covenant.pk)
    countries, other_countries = fold(dict(by_country), k)
    themes, other_themes = fold(dict(by_theme), k)
    return CapFigures(total, countries, themes, public, k, other_countries, other_themes)
