"""Open data: the public tables of the platform (covenants, agreements and KPIs,
measurements, published reports and their figures, the learning library) with
their data dictionary, under an open licence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.core.errors import DomainError
from imvo.covenants.models import Agreement, KpiMeasurement
from imvo.covenants.seams import kpi_progress, public_covenant_list
from imvo.library.seams import learning_items_visible_to
from imvo.reporting.models import PublishedReport
from imvo.reporting.services.build import ATTRIBUTION, LICENCE, LICENCE_URL
from imvo.reporting.services.publication import latest_editions

StrOrPromise = str | Promise


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class OpenTable:
    """One public table: its columns (the data dictionary) and how to get its rows."""

    name: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], list[list[Any]]]
    source: str = ATTRIBUTION

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def meta(self) -> dict[str, Any]:
        return {
            "table": self.name,
            "title": self.title,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "attribution": self.source,
            "generated": timezone.now().isoformat(timespec="seconds"),
            "columns": {c.name: f"{c.type}: {c.description}" for c in self.columns},
        }


def _covenant_rows() -> list[list[Any]]:
    return [
        [
            c.slug,
            c.name_en,
            c.name_nl,
            c.sector,
            c.phase,
            c.start_date.isoformat() if c.start_date else None,
            c.end_date.isoformat() if c.end_date else None,
            getattr(c, "party_count", None),
            getattr(c, "stakeholder_count", None),
            c.website,
        ]
        for c in public_covenant_list().order_by("slug")
    ]


def _agreement_rows() -> list[list[Any]]:
    today = timezone.localdate()
    rows = []
    qs = Agreement.objects.select_related("covenant").prefetch_related("measurements")
    for a in qs.order_by("covenant__slug", "number", "id"):
        p = kpi_progress(a, today=today)
        rows.append(
            [
                a.covenant.slug,
                a.number,
                a.title_en,
                a.title_nl,
                a.kpi_name_en,
                a.kpi_unit,
                float(a.baseline),
                a.baseline_date.isoformat(),
                float(a.target),
                a.deadline.isoformat(),
                None if p.latest is None else float(p.latest),
                p.latest_date.isoformat() if p.latest_date else None,
                p.percent,
                p.status,
            ]
        )
    return rows


def _measurement_rows() -> list[list[Any]]:
    qs = KpiMeasurement.objects.select_related("agreement__covenant").order_by(
        "agreement__covenant__slug", "agreement__number", "date", "id"
    )
    return [
        [
            m.agreement.covenant.slug,
            m.agreement.number,
            m.date.isoformat(),
            float(m.value),
            m.agreement.kpi_unit,
            m.source,
        ]
        for m in qs
    ]


def _report_rows() -> list[list[Any]]:
    return [
        [
            r.covenant.slug,
            r.year,
            r.version,
            r.published_at.isoformat(timespec="seconds"),
            r.language,
            r.get_absolute_url(),
        ]
        for r in latest_editions()
    ]


def _figure_rows() -> list[list[Any]]:
    rows = []
    for edition in latest_editions():
        snapshot = PublishedReport.objects.values_list("snapshot", flat=True).get(pk=edition.pk)
        for s in snapshot.get("sections", []):
            for f in s.get("figures", []):
                rows.append(
                    [
                        edition.covenant.slug,
                        edition.year,
                        edition.version,
                        s.get("key"),
                        f.get("label"),
                        f.get("value"),
                        f.get("unit"),
                        "; ".join(s.get("sources") or []),
                    ]
                )
    return rows


def _learning_rows() -> list[list[Any]]:
    return [
        [
            i.pk,
            i.covenant.slug,
            i.kind,
            i.title,
            i.theme.code if i.theme else None,
            i.sector,
            i.organisation.name if i.organisation else None,
            i.published_at.date().isoformat(),
            i.summary,
        ]
        for i in learning_items_visible_to(None).order_by("id")
    ]


# The data dictionary: every column of the open tables with its type and
# meaning, written once; each table names its columns in order below.
DICTIONARY: dict[str, tuple[str, StrOrPromise]] = {
    "covenant": ("text", gettext_lazy("covenant identifier (slug)")),
    "slug": ("text", gettext_lazy("covenant identifier")),
    "name_en": ("text", gettext_lazy("name in English")),
    "name_nl": ("text", gettext_lazy("name in Dutch")),
    "sector": ("text", gettext_lazy("sector code")),
    "phase": ("text", gettext_lazy("exploration, dialogue, implementation, evaluation")),
    "start_date": ("date", gettext_lazy("start of the term (ISO 8601)")),
    "end_date": ("date", gettext_lazy("end of the term (ISO 8601)")),
    "parties": ("integer", gettext_lazy("active parties (signatories)")),
    "stakeholders": ("integer", gettext_lazy("active stakeholders")),
    "website": ("text", gettext_lazy("covenant website")),
    "number": ("text", gettext_lazy("agreement number in the covenant")),
    "title_en": ("text", gettext_lazy("agreement title in English")),
    "title_nl": ("text", gettext_lazy("agreement title in Dutch")),
    "kpi": ("text", gettext_lazy("the KPI measured")),
    "unit": ("text", gettext_lazy("unit of the KPI")),
    "baseline": ("number", gettext_lazy("value at the baseline date")),
    "baseline_date": ("date", gettext_lazy("date of the baseline")),
    "target": ("number", gettext_lazy("value to reach by the deadline")),
    "deadline": ("date", gettext_lazy("deadline")),
    "latest": ("number", gettext_lazy("latest measured value (empty: none yet)")),
    "latest_date": ("date", gettext_lazy("date of the latest measurement")),
    "progress_percent": ("integer", gettext_lazy("share of the way to target, %")),
    "status": ("text", gettext_lazy("achieved, on_track, behind or no_data")),
    "agreement": ("text", gettext_lazy("agreement number")),
    "date": ("date", gettext_lazy("date the value refers to")),
    "value": ("number", gettext_lazy("measured value")),
    "source": ("text", gettext_lazy("where the figure comes from")),
    "year": ("integer", gettext_lazy("reporting year")),
    "version": ("integer", gettext_lazy("edition (corrections raise it)")),
    "published_at": ("datetime", gettext_lazy("when it was published")),
    "language": ("text", gettext_lazy("language of the edition")),
    "url": ("text", gettext_lazy("address of the report on the platform")),
    "section": ("text", gettext_lazy("report section key")),
    "label": ("text", gettext_lazy("what the figure counts")),
    "sources": ("text", gettext_lazy("sources of the section")),
    "id": ("integer", gettext_lazy("item number")),
    "kind": ("text", gettext_lazy("good_practice or lesson")),
    "title": ("text", gettext_lazy("title")),
    "theme": ("text", gettext_lazy("theme code (OECD chapter or covenant theme)")),
    "organisation": ("text", gettext_lazy("organisation that published it")),
    "published": ("date", gettext_lazy("publication date")),
    "summary": ("text", gettext_lazy("short summary")),
}


def columns(names: str, **meaning: StrOrPromise) -> list[Column]:
    """The columns named (space-separated), from the dictionary; `meaning` words a
    column differently where this table uses it in a narrower sense."""
    out = []
    for name in names.split():
        type_, description = DICTIONARY[name]
        out.append(Column(name, type_, str(meaning.get(name, description))))
    return out


def open_tables() -> list[OpenTable]:
    """Every public table of the reporting app, with its data dictionary."""
    return [
        OpenTable(
            "covenants",
            _("Covenants"),
            _("Every IMVO covenant on the platform with its phase, term and membership."),
            columns(
                "slug name_en name_nl sector phase start_date end_date parties stakeholders website"
            ),
            _covenant_rows,
        ),
        OpenTable(
            "agreements",
            _("Agreements and KPIs"),
            _("Each agreement's output KPI against its target, today."),
            columns(
                "covenant number title_en title_nl kpi unit baseline baseline_date target "
                "deadline latest latest_date progress_percent status"
            ),
            _agreement_rows,
        ),
        OpenTable(
            "kpi-measurements",
            _("KPI measurements"),
            _("Every measurement of every agreement's KPI, with its source."),
            columns("covenant agreement date value unit source"),
            _measurement_rows,
        ),
        OpenTable(
            "reports",
            _("Published progress reports"),
            _("The latest edition of every published yearly progress report."),
            columns("covenant year version published_at language url"),
            _report_rows,
        ),
        OpenTable(
            "report-figures",
            _("Figures in published reports"),
            _(
                "Every key figure of the latest edition of each published report, with "
                "the sources it rests on (keep their attribution when reusing)."
            ),
            columns(
                "covenant year version section label value unit sources",
                version=_("edition"),
                value=_("the figure"),
                unit=_("unit"),
            ),
            _figure_rows,
            source=_("IMVO Covenant Platform; the sources named per row"),
        ),
        OpenTable(
            "learning-library",
            _("Learning library"),
            _("Good practices and lessons that parties published."),
            columns("id covenant kind title theme sector organisation published summary"),
            _learning_rows,
        ),
    ]


def open_table(name: str) -> OpenTable:
    for t in open_tables():
        if t.name == name:
            return t
    raise DomainError(_("There is no open data table called %(name)s.") % {"name": name})
