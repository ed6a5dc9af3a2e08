"""Calls up the floors: what a higher app asks of every app without knowing them.

The ground floor (`core`, `accounts`) and the report (`reporting`) must not
import the domain apps, yet the start page lists every app's links, `imvo demo`
loads every app's demo data and the yearly report carries every app's section.
So each app offers them here: its `AppConfig` declares them and the
base class (`core.appconfig.ImvoConfig`) calls, from `ready()`,

    registry.add_app("risk", nav=nav.links_for, demo=demo.load, report=report.report_sections)

Django runs `ready()` in `INSTALLED_APPS` order, which is the order of the
floors; the start page, the demo and the report keep that order.

What crosses the seam is typed: `NavLink` and `ReportSection` (with `Figure`,
`Table` and `Chart`) are frozen dataclasses; a value that breaks the agreed form
is refused when it is made (`SectionFormError`), not discovered in a template.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol

from imvo.core.errors import DomainError

if TYPE_CHECKING:  # types only: core imports no domain app at run time
    from imvo.accounts.services import AnyUser
    from imvo.covenants.models import Covenant

# --- start-page links -------------------------------------------------------------


@dataclass(frozen=True)
class NavLink:
    """One link on a signed-in user's start page."""

    url: str
    label: str


class NavLinks(Protocol):
    """An app's links for this user (the app decides which roles see which)."""

    def __call__(self, user: AnyUser) -> Sequence[NavLink]: ...


# --- demo data ---------------------------------------------------------------------


class DemoLoader(Protocol):
    """Load an app's demo data; returns (username, description) of its demo logins."""

    def __call__(self) -> Sequence[tuple[str, str]]: ...


# --- sections of the yearly progress report -----------------------------------------

Cell = str | int | float | bool | None
ChartKind = Literal["bar", "line", "heatmap"]
CHART_KINDS: frozenset[str] = frozenset({"bar", "line", "heatmap"})


class SectionFormError(DomainError):
    """A report section (or a part of it) not in the agreed form."""


def cell(value: Any) -> Cell:
    """A table cell or figure as the published snapshot stores it (JSON)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


@dataclass(frozen=True)
class Figure:
    """A headline number of a section, e.g. 'Complaints received: 7'."""

    label: str
    value: Cell
    unit: str = ""
    # False: in published (frozen) reports only, never on a page drawn from today's
    # data (the public dashboard), where each change would show the day one case's
    # news came in (docs/security.md, T74).
    live: bool = True

    def as_dict(self) -> dict[str, Any]:
        out = {"label": str(self.label), "value": cell(self.value), "unit": str(self.unit)}
        if not self.live:
            out["live"] = False
        return out


@dataclass(frozen=True)
class Table:
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "caption": str(self.caption),
            "header": [str(h) for h in self.header],
            "rows": [[cell(c) for c in row] for row in self.rows],
        }


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | int | None]


@dataclass(frozen=True)
class Chart:
    """A chart the report draws as SVG (`reporting.charts`).

    Bar and line charts use `labels` and `series`; a heatmap uses `rows`,
    `cols` and `values` (one list per row).
    """

    kind: ChartKind
    title: str
    labels: Sequence[str] = ()
    series: Sequence[Series] = ()
    stacked: bool = False
    rows: Sequence[str] = ()
    cols: Sequence[str] = ()
    values: Sequence[Sequence[float | int | None]] = ()

    def __post_init__(self) -> None:
        if self.kind not in CHART_KINDS:
            raise SectionFormError(f"Unknown chart type {self.kind!r}: use bar, line or heatmap.")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.kind, "title": str(self.title)}
        if self.kind == "heatmap":
            out["rows"] = [str(r) for r in self.rows]
            out["cols"] = [str(c) for c in self.cols]
            out["values"] = [[cell(v) for v in row] for row in self.values]
        else:
            out["labels"] = [str(label) for label in self.labels]
            out["series"] = [
                {"name": str(s.name), "values": [cell(v) for v in s.values]} for s in self.series
            ]
            if self.stacked:
                out["stacked"] = True
        return out


@dataclass(frozen=True)
class ReportSection:
    """One section of a covenant's public yearly progress report: public aggregates only."""

    key: str
    title: str
    text: str = ""
    figures: Sequence[Figure] = ()
    tables: Sequence[Table] = ()
    charts: Sequence[Chart] = ()
    sources: Sequence[str] = ()

    def __post_init__(self) -> None:
        if not self.key or not self.title:
            raise SectionFormError("A report section needs at least a key and a title.")

    def as_dict(self, app: str) -> dict[str, Any]:
        """The section as the published snapshot stores it (JSON), marked with its app."""
        return {
            "key": str(self.key),
            "title": str(self.title),
            "text": str(self.text or ""),
            "figures": [f.as_dict() for f in self.figures],
            "tables": [t.as_dict() for t in self.tables],
            "charts": [c.as_dict() for c in self.charts],
            "sources": [str(s) for s in self.sources],
            "app": app,
        }


class ReportSections(Protocol):
    """An app's sections of a covenant's report for a year (public aggregates only)."""

    def __call__(self, covenant: Covenant, year: int) -> Sequence[ReportSection]: ...


# --- notes on risk-register entries ---------------------------------------------------


@dataclass(frozen=True)
class EntryNote:
    """A line shown with a risk-register entry by an app above risk (e.g. the
    member's leverage at the facilities behind it, a suggestion of joint action).
    Notes never change the ranking (UNGP 19: leverage shapes the action, not the priority)."""

    text: str
    url: str = ""
    link_label: str = ""
    suggestion: bool = False


class RegisterNotes(Protocol):
    """An app's notes for these register entries, as this user may see them."""

    def __call__(self, user: AnyUser, entry_ids: Sequence[int]) -> dict[int, list[EntryNote]]: ...


class PlanNotes(Protocol):
    """An app's notes on action-plan actions (e.g. the register entries and corrective
    action plan items an action is linked to), as this user may see them."""

    def __call__(self, user: AnyUser, action_ids: Sequence[int]) -> dict[int, list[EntryNote]]: ...


class SubmissionNotes(Protocol):
    """An app's lines for a member's due-diligence submission of a year (e.g. the
    progress of the corrective action plans it joined), shown in its action-plan part."""

    def __call__(
        self, organisation_id: int, covenant_id: int, year: int
    ) -> Sequence[EntryNote]: ...


# --- follow-up: what is overdue in a covenant ------------------------------------------


@dataclass(frozen=True)
class FollowUp:
    """Something of a covenant that is overdue or waiting, for its secretariat's page
    (counts only: the secretariat follows the link to the app's own page)."""

    label: str
    count: int
    url: str = ""


class FollowUps(Protocol):
    """An app's overdue items of a covenant (called only for its secretariat)."""

    def __call__(self, covenant: Covenant) -> Sequence[FollowUp]: ...


# --- a disclosure version became current ----------------------------------------------


class DisclosureVersionHook(Protocol):
    """What an app above the supply chain does when a member's disclosure version
    becomes current (e.g. the risk app scans it once and stores the result)."""

    def __call__(self, version_id: int) -> None: ...


# --- the registry -------------------------------------------------------------------


@dataclass
class Registry:
    """What each app offers, by app label, in the order the apps registered."""

    nav_links: dict[str, NavLinks] = field(default_factory=dict)
    demo_loaders: dict[str, DemoLoader] = field(default_factory=dict)
    report_sections: dict[str, ReportSections] = field(default_factory=dict)
    follow_ups: dict[str, FollowUps] = field(default_factory=dict)
    risk_notes: dict[str, RegisterNotes] = field(default_factory=dict)
    plan_notes: dict[str, PlanNotes] = field(default_factory=dict)
    submission_notes: dict[str, SubmissionNotes] = field(default_factory=dict)
    disclosure_version_hooks: dict[str, DisclosureVersionHook] = field(default_factory=dict)

    def add_nav_links(self, app: str, provider: NavLinks) -> None:
        self.nav_links[app] = provider

    def add_demo_loader(self, app: str, loader: DemoLoader) -> None:
        self.demo_loaders[app] = loader

    def add_report_sections(self, app: str, provider: ReportSections) -> None:
        self.report_sections[app] = provider

    def add_app(
        self,
        app: str,
        *,
        nav: NavLinks | None = None,
        demo: DemoLoader | None = None,
        report: ReportSections | None = None,
        risk_notes: RegisterNotes | None = None,
        follow_up: FollowUps | None = None,
        plan_notes: PlanNotes | None = None,
        submission_notes: SubmissionNotes | None = None,
        disclosure_version: DisclosureVersionHook | None = None,
    ) -> None:
        """Everything one app offers, in one call from its `ready()` (`core.appconfig`)."""
        if nav is not None:
            self.add_nav_links(app, nav)
        if demo is not None:
            self.add_demo_loader(app, demo)
        if report is not None:
            self.add_report_sections(app, report)
        if follow_up is not None:
            self.follow_ups[app] = follow_up
        if risk_notes is not None:
            self.risk_notes[app] = risk_notes
        if plan_notes is not None:
            self.plan_notes[app] = plan_notes
        if submission_notes is not None:
            self.submission_notes[app] = submission_notes
        if disclosure_version is not None:
            self.disclosure_version_hooks[app] = disclosure_version


registry = Registry()


def links_for(user: AnyUser) -> list[NavLink]:
    """Every app's start-page links for this user, in the order of the floors."""
    links: list[NavLink] = []
    for provider in registry.nav_links.values():
        links.extend(provider(user))
    return links


def _notes_by_id(
    providers: Iterable[RegisterNotes | PlanNotes], user: AnyUser, ids: Sequence[int]
) -> dict[int, list[EntryNote]]:
    """Every app's notes on these records, each record's notes in the order of the floors."""
    notes: dict[int, list[EntryNote]] = {}
    for provider in providers:
        for record_id, lines in provider(user, ids).items():
            notes.setdefault(record_id, []).extend(lines)
    return notes


def risk_notes_for(user: AnyUser, entry_ids: Sequence[int]) -> dict[int, list[EntryNote]]:
    """Every app's notes on these risk-register entries, in the order of the floors."""
    return _notes_by_id(registry.risk_notes.values(), user, entry_ids)


def plan_notes_for(user: AnyUser, action_ids: Sequence[int]) -> dict[int, list[EntryNote]]:
    """Every app's notes on these action-plan actions, in the order of the floors."""
    return _notes_by_id(registry.plan_notes.values(), user, action_ids)


def submission_notes_for(organisation_id: int, covenant_id: int, year: int) -> list[EntryNote]:
    """Every app's lines for a member's due-diligence submission of a year."""
    lines: list[EntryNote] = []
    for provider in registry.submission_notes.values():
        lines.extend(provider(organisation_id, covenant_id, year))
    return lines


def follow_ups_for(covenant: Covenant) -> list[FollowUp]:
    """Every app's overdue items of the covenant with a count, in the order of the floors."""
    items: list[FollowUp] = []
    for provider in registry.follow_ups.values():
        items.extend(f for f in provider(covenant) if f.count)
    return items


def disclosure_version_current(version_id: int) -> None:
    """Tell every app that a disclosure version became current (after its commit)."""
    for hook in registry.disclosure_version_hooks.values():
        hook(version_id)
