"""The covenant's production locations in aggregate, for unions and NGOs.

Per country: how many production locations the member companies' current
supplier lists name, how many members source there, the open risks in their
registers and the complaints filed about locations there, each by theme. Never
a member's list: the disclosure rule (K, the covenant's
`DisclosurePolicy.min_members`, the same K as the public production-location
list) holds for every figure. A country where fewer than K members source is
not named: it is folded into "Other countries"; when that bucket itself has
fewer than K members behind it, its location and risk figures are withheld
too (complaints are not a member's list and stay counted). With fewer than K
members in all, nothing but complaint counts is shown.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.complaints.models import Complaint, State
from imvo.core.errors import PermissionDeniedError
from imvo.covenants.models import Covenant, Organisation, Theme
from imvo.parties.services.access import may_use_tools
from imvo.risk.models import RegisterEntry
from imvo.supplychain.models import DisclosurePolicy
from imvo.supplychain.seams import country_name, supplier_rows_by_organisation

OTHER = ""  # the country code of the folded bucket


def min_members(covenant: Covenant) -> int:
    """K: the covenant's disclosure rule (the public list's, read from its policy)."""
    policy = DisclosurePolicy.objects.filter(covenant=covenant).first()
    return policy.min_members if policy else DisclosurePolicy.DEFAULT_MIN_MEMBERS


@dataclass
class CountryLine:
    country: str  # ISO code; "" for "Other countries"
    name: str
    members: int = 0
    locations: int = 0
    open_risks: Counter[str] = field(default_factory=Counter)  # theme label -> count
    complaints: Counter[str] = field(default_factory=Counter)
    complaints_open: int = 0
    withheld: bool = False  # fewer than K members behind it: figures not shown

    @property
    def open_risks_total(self) -> int:
        return sum(self.open_risks.values())

    @property
    def complaints_total(self) -> int:
        return sum(self.complaints.values())

    # Lists for templates (a template's dotted lookup on a Counter finds keys first).
    @property
    def risks_by_theme(self) -> list[tuple[str, int]]:
        return self.open_risks.most_common()

    @property
    def complaints_by_theme(self) -> list[tuple[str, int]]:
        return self.complaints.most_common()


@dataclass(frozen=True)
class LocationOverview:
    covenant: Covenant
    k: int
    members: int  # member companies with a current supplier list
    lines: list[CountryLine]  # named countries, most locations first
    other: CountryLine | None

    @property
    def withheld(self) -> bool:
        return self.members < self.k


def _theme_label(theme: Theme | None, code: str) -> str:
    if theme is not None:
        return str(theme.name)
    return code.replace("-", " ").capitalize() if code else _("No theme given")


def location_overview(user: AnyUser, covenant: Covenant) -> LocationOverview:
    """The aggregate for a union or NGO party (or the secretariat) of the covenant."""
    if not may_use_tools(user, covenant):
        raise PermissionDeniedError("not a union or NGO party of this covenant")
    k = min_members(covenant)
    companies = list(
        Organisation.objects.in_covenant(covenant, active=True).filter(
            type=Organisation.Type.COMPANY
        )
    )
    members_in: dict[str, set[int]] = defaultdict(set)
    locations_in: dict[str, set[str]] = defaultdict(set)
    sourcing: set[int] = set()
    rows_of = supplier_rows_by_organisation([org.pk for org in companies], covenant=covenant)
    for org in companies:
        for row in rows_of.get(org.pk, []):
            if not row.country:
                continue
            sourcing.add(org.pk)
            members_in[row.country].add(org.pk)
            # The same facility named by two members is one location.
            key = f"f{row.facility_id}" if row.facility_id else f"r{row.row_id}"
            locations_in[row.country].add(key)
    named = {c for c, orgs in members_in.items() if len(orgs) >= k}

    def bucket(code: str) -> str:
        return code if code in named else OTHER

    lines: dict[str, CountryLine] = {
        c: CountryLine(c, country_name(c), members=len(members_in[c])) for c in named
    }
    other = CountryLine(OTHER, "")
    for c in named:
        lines[c].locations = len(locations_in[c])
    other_members: set[int] = set()
    for c in set(members_in) - named:
        other_members |= members_in[c]
        other.locations += len(locations_in[c])
    other.members = len(other_members)

    def line(code: str) -> CountryLine:
        return lines.get(bucket(code), other)

    risks = (
        RegisterEntry.objects.filter(covenant=covenant, organisation_id__in=sourcing)
        .exclude(status=RegisterEntry.Status.CLOSED)
        .values("country", "theme_code", "theme")
        .annotate(n=Count("id"))
    )
    themes = {t.pk: t for t in Theme.objects.all()}
    for r in risks:
        line(r["country"]).open_risks[_theme_label(themes.get(r["theme"]), r["theme_code"])] += r[
            "n"
        ]
    complaints = (
        Complaint.objects.filter(covenant=covenant)
        .exclude(state=State.INADMISSIBLE)
        .prefetch_related("themes")
    )
    for complaint in complaints:
        target = line(complaint.facility_country)
        names = [str(t.name) for t in complaint.themes.all()] or [_("No theme given")]
        for name in names:
            target.complaints[name] += 1
        if complaint.state != State.CLOSED:
            target.complaints_open += 1
    if other.members < k:
        other.withheld = True
        other.locations, other.open_risks = 0, Counter()
    ordered = sorted(lines.values(), key=lambda x: (-x.locations, x.name))
    shown_other = other if (other.members or other.complaints or other.open_risks) else None
    return LocationOverview(covenant, k, len(sourcing), ordered, shown_other)
