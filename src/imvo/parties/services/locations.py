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

Unions and NGOs read the last *release* (`LocationRelease`), the secretariat reads
live: a union keeping yesterday's page read from the difference what one member
changed today (docs/security.md T73), the leak T51 closed on the sector risk page.
A release is made when the page is asked for and one is due, by the rule of the
risk release (`imvo.risk.party_release`): there is none yet or the last showed no
member figures; nothing member-specific moved but K did; or K or more members'
inputs (their supplier rows' countries and facilities, their open register
entries' countries and themes) changed since the last one, each change moving a
figure on its own (`moving_members`, T83). An open-risk count per theme is shown
only where K members' registers stand behind it (T82). Complaint counts stay
live: a complaint is filed by a worker or an organisation about a location, not
disclosed by a member, and the country it is counted under is the release's.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.complaints.models import Complaint, State
from imvo.core.errors import PermissionDeniedError
from imvo.covenants.models import Covenant, Organisation, Theme
from imvo.parties.models import LocationRelease
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
    released: datetime | None = None  # the release parties read; None before the first
    changed: int | None = None  # the secretariat (live): members changed since it

    @property
    def withheld(self) -> bool:
        return self.members < self.k


def _theme_label(theme: Theme | None, code: str) -> str:
    if theme is not None:
        return str(theme.name)
    return code.replace("-", " ").capitalize() if code else _("No theme given")


def _theme_key(theme_id: int | None, code: str) -> str:
    """A register entry's theme as the release keeps it (named on reading)."""
    return f"t{theme_id}" if theme_id else f"c{code}"


def _theme_label_of(key: str, themes: dict[int, Theme]) -> str:
    if key.startswith("t"):
        return _theme_label(themes.get(int(key[1:])), "")
    return _theme_label(None, key[1:])


def _fingerprint(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:32]


def member_inputs(covenant: Covenant) -> dict[str, dict[str, Any]]:
    """What the page reads from each sourcing member (organisation id -> its inputs):
    its linked facilities per country, the number of its unlinked rows per country (a
    row's id changes with every upload, the figures do not) and its open register
    entries per country and theme. The figures are made from these alone."""
    companies = list(
        Organisation.objects.in_covenant(covenant, active=True).filter(
            type=Organisation.Type.COMPANY
        )
    )
    inputs: dict[str, dict[str, Any]] = {}
    rows_of = supplier_rows_by_organisation([org.pk for org in companies], covenant=covenant)
    for org in companies:
        facilities: set[str] = set()
        unlinked: Counter[str] = Counter()
        for row in rows_of.get(org.pk, []):
            if not row.country:
                continue
            if row.facility_id:
                facilities.add(f"{row.country}:{row.facility_id}")
            else:
                unlinked[row.country] += 1
        if facilities or unlinked:
            inputs[str(org.pk)] = {"facilities": sorted(facilities), "unlinked": dict(unlinked)}
    risks = (
        RegisterEntry.objects.filter(
            covenant=covenant, organisation_id__in=[int(m) for m in inputs]
        )
        .exclude(status=RegisterEntry.Status.CLOSED)
        .values("organisation_id", "country", "theme_code", "theme")
        .annotate(n=Count("id"))
        .order_by()
    )
    for r in risks:
        key = _theme_key(r["theme"], r["theme_code"])
        entries = inputs[str(r["organisation_id"])].setdefault("risks", [])
        entries.append([r["country"], key, r["n"]])
    for data in inputs.values():
        data.get("risks", []).sort()
    # As a release keeps them (JSON), so inputs read now and kept then compare equal.
    kept: dict[str, dict[str, Any]] = json.loads(json.dumps(inputs, sort_keys=True))
    return kept


def figures_of(inputs: dict[str, dict[str, Any]], k: int) -> dict[str, Any]:
    """The member figures as plain data (what a release freezes), from the members'
    inputs under the rule K: a country with fewer than K members folded into "Other
    countries" (withheld when it has fewer than K itself), and an open-risk count per
    theme only where at least K members' registers stand behind it: fewer, and the
    figure is one member's register, readable as such (docs/security.md T82)."""
    members_in: dict[str, set[str]] = defaultdict(set)
    facilities_in: dict[str, set[str]] = defaultdict(set)
    unlinked_in: Counter[str] = Counter()
    for org, data in inputs.items():
        for item in data["facilities"]:
            country, _facility = item.split(":", 1)
            members_in[country].add(org)
            facilities_in[country].add(item)  # the same facility named by two: once
        for country, n in data["unlinked"].items():
            members_in[country].add(org)
            unlinked_in[country] += n

    def locations(country: str) -> int:
        return len(facilities_in[country]) + unlinked_in[country]

    named = {c for c, orgs in members_in.items() if len(orgs) >= k}

    def bucket(code: str) -> str:
        return code if code in named else OTHER

    lines: dict[str, dict[str, Any]] = {
        c: {"members": len(members_in[c]), "locations": locations(c), "risks": {}} for c in named
    }
    other_members: set[str] = set()
    other: dict[str, Any] = {"members": 0, "locations": 0, "risks": {}}
    for c in set(members_in) - named:
        other_members |= members_in[c]
        other["locations"] += locations(c)
    other["members"] = len(other_members)
    cells: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for org, data in inputs.items():
        for country, key, n in data.get("risks", []):
            total, registers = cells.get((bucket(country), key), (0, set()))
            cells[(bucket(country), key)] = (total + n, registers | {org})
    for (code, key), (total, registers) in sorted(cells.items()):
        if len(registers) >= k:
            lines.get(code, other)["risks"][key] = total
    if other["members"] < k:
        other = {"members": other["members"], "locations": 0, "risks": {}, "withheld": True}
    return {"members": len(inputs), "lines": lines, "other": other}


def changed_members(release: LocationRelease | None, fingerprints: dict[str, str]) -> int:
    """Members whose inputs differ from the release (joined, left or changed)."""
    before: dict[str, str] = release.members if release else {}
    return sum(
        1 for m in before.keys() | fingerprints.keys() if before.get(m) != fingerprints.get(m)
    )


def moving_members(
    release: LocationRelease | None, inputs: dict[str, dict[str, Any]], k: int
) -> int:
    """Members whose change since the release moves a figure on its own: with that one
    member's inputs put back as the release read them, today's figures differ. A
    change that moves nothing (a row on a factory another member names, an open risk
    in a theme shown for fewer than K registers) counted towards K before, so a
    release could differ from the last by one member's change alone
    (docs/security.md T83). A release made before it kept inputs counts as before."""
    if release is None or not release.inputs:
        fingerprints = {org: _fingerprint(data) for org, data in inputs.items()}
        return changed_members(release, fingerprints)
    before: dict[str, dict[str, Any]] = release.inputs
    now = figures_of(inputs, k)
    moved = 0
    for member in sorted(before.keys() | inputs.keys()):
        if before.get(member) == inputs.get(member):
            continue
        put_back = {m: data for m, data in inputs.items() if m != member}
        if member in before:
            put_back[member] = before[member]
        if figures_of(put_back, k) != now:
            moved += 1
    return moved


def _due(release: LocationRelease | None, inputs: dict[str, dict[str, Any]], k: int) -> bool:
    if release is None or release.figures.get("members", 0) < release.minimum:
        # Nothing from members' lists was shown: the next release is as the first.
        return True
    changed = moving_members(release, inputs, k)
    if changed == 0:
        return release.minimum != k
    return changed >= k


def released_figures(covenant: Covenant, k: int) -> LocationRelease:
    """The release unions and NGOs read; a new one first when one is due."""
    release = LocationRelease.objects.filter(covenant=covenant).first()
    inputs = member_inputs(covenant)
    if _due(release, inputs, k):
        release = LocationRelease.objects.create(
            covenant=covenant,
            minimum=k,
            members={org: _fingerprint(data) for org, data in inputs.items()},
            inputs=inputs,
            figures=figures_of(inputs, k),
        )
    assert release is not None
    return release


def location_overview(user: AnyUser, covenant: Covenant) -> LocationOverview:
    """The aggregate for a union or NGO party (as last released) or the secretariat
    (live, with how many members changed since the release parties read)."""
    if not may_use_tools(user, covenant):
        raise PermissionDeniedError("not a union or NGO party of this covenant")
    k = min_members(covenant)
    released: datetime | None = None
    changed: int | None = None
    if roles.is_secretariat(user, covenant):
        inputs = member_inputs(covenant)
        figures = figures_of(inputs, k)
        last = LocationRelease.objects.filter(covenant=covenant).first()
        changed = moving_members(last, inputs, k)
        released = last.made if last else None
    else:
        release = released_figures(covenant, k)
        figures, k, released = release.figures, release.minimum, release.made
    return _overview(covenant, k, figures, released, changed)


def _overview(
    covenant: Covenant,
    k: int,
    figures: dict[str, Any],
    released: datetime | None,
    changed: int | None,
) -> LocationOverview:
    """The page from member figures (live or released) and today's complaints."""
    themes = {t.pk: t for t in Theme.objects.all()}

    def line_of(code: str, data: dict[str, Any]) -> CountryLine:
        line = CountryLine(
            code,
            country_name(code) if code else "",
            members=data["members"],
            locations=data["locations"],
            withheld=bool(data.get("withheld")),
        )
        for key, n in data["risks"].items():
            line.open_risks[_theme_label_of(key, themes)] += n
        return line

    lines = {c: line_of(c, data) for c, data in figures["lines"].items()}
    other = line_of(OTHER, figures["other"])

    def line(code: str) -> CountryLine:
        return lines.get(code, other)

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
    ordered = sorted(lines.values(), key=lambda x: (-x.locations, x.name))
    shown_other = other if (other.members or other.complaints or other.open_risks) else None
    return LocationOverview(
        covenant, k, figures["members"], ordered, shown_other, released, changed
    )
