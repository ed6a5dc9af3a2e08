"""Open data: the public tables of the platform (covenants, agreements and KPIs,
measurements, published reports and their figures, the learning library) with
their data dictionary, under an open licence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.core.errors import DomainError
from imvo.covenants.models import Agreement, KpiMeasurement
from imvo.covenants.seams import kpi_progress, public_covenant_list
from imvo.library.seams import learning_items_visible_to
from imvo.reporting.models import PublishedReport
from imvo.reporting.services.build import ATTRIBUTION, LICENCE, LICENCE_URL
from imvo.reporting.services.publication import latest_editions


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


def open_tables() -> list[OpenTable]:
    """Every public table of the reporting app, with its data dictionary."""
    slug = Column("covenant", "text", _("covenant identifier (slug)"))
    return [
        OpenTable(
            "covenants",
            _("Covenants"),
            _("Every IMVO covenant on the platform with its phase, term and membership."),
            [
                Column("slug", "text", _("covenant identifier")),
                Column("name_en", "text", _("name in English")),
                Column("name_nl", "text", _("name in Dutch")),
                Column("sector", "text", _("sector code")),
                Column("phase", "text", _("exploration, dialogue, implementation, evaluation")),
                Column("start_date", "date", _("start of the term (ISO 8601)")),
                Column("end_date", "date", _("end of the term (ISO 8601)")),
                Column("parties", "integer", _("active parties (signatories)")),
                Column("stakeholders", "integer", _("active stakeholders")),
                Column("website", "text", _("covenant website")),
            ],
            _covenant_rows,
        ),
        OpenTable(
            "agreements",
            _("Agreements and KPIs"),
            _("Each agreement's output KPI against its target, today."),
            [
                slug,
                Column("number", "text", _("agreement number in the covenant")),
                Column("title_en", "text", _("agreement title in English")),
                Column("title_nl", "text", _("agreement title in Dutch")),
                Column("kpi", "text", _("the KPI measured")),
                Column("unit", "text", _("unit of the KPI")),
                Column("baseline", "number", _("value at the baseline date")),
                Column("baseline_date", "date", _("date of the baseline")),
                Column("target", "number", _("value to reach by the deadline")),
                Column("deadline", "date", _("deadline")),
                Column("latest", "number", _("latest measured value (empty: none yet)")),
                Column("latest_date", "date", _("date of the latest measurement")),
                Column("progress_percent", "integer", _("share of the way to target, %")),
                Column("status", "text", _("achieved, on_track, behind or no_data")),
            ],
            _agreement_rows,
        ),
        OpenTable(
            "kpi-measurements",
            _("KPI measurements"),
            _("Every measurement of every agreement's KPI, with its source."),
            [
                slug,
                Column("agreement", "text", _("agreement number")),
                Column("date", "date", _("date the value refers to")),
                Column("value", "number", _("measured value")),
                Column("unit", "text", _("unit of the KPI")),
                Column("source", "text", _("where the figure comes from")),
            ],
            _measurement_rows,
        ),
        OpenTable(
            "reports",
            _("Published progress reports"),
            _("The latest edition of every published yearly progress report."),
            [
                slug,
                Column("year", "integer", _("reporting year")),
                Column("version", "integer", _("edition (corrections raise it)")),
                Column("published_at", "datetime", _("when it was published")),
                Column("language", "text", _("language of the edition")),
                Column("url", "text", _("address of the report on the platform")),
            ],
            _report_rows,
        ),
        OpenTable(
            "report-figures",
            _("Figures in published reports"),
            _(
                "Every key figure of the latest edition of each published report, with "
                "the sources it rests on (keep their attribution when reusing)."
            ),
            [
                slug,
                Column("year", "integer", _("reporting year")),
                Column("version", "integer", _("edition")),
                Column("section", "text", _("report section key")),
                Column("label", "text", _("what the figure counts")),
                Column("value", "number", _("the figure")),
                Column("unit", "text", _("unit")),
                Column("sources", "text", _("sources of the section")),
            ],
            _figure_rows,
            source=_("IMVO Covenant Platform; the sources named per row"),
        ),
        OpenTable(
            "learning-library",
            _("Learning library"),
            _("Good practices and lessons that parties published."),
            [
                Column("id", "integer", _("item number")),
                slug,
                Column("kind", "text", _("good_practice or lesson")),
                Column("title", "text", _("title")),
                Column("theme", "text", _("theme code (OECD chapter or covenant theme)")),
                Column("sector", "text", _("sector code")),
                Column("organisation", "text", _("organisation that published it")),
                Column("published", "date", _("publication date")),
                Column("summary", "text", _("short summary")),
            ],
            _learning_rows,
        ),
    ]


def open_table(name: str) -> OpenTable:
    for t in open_tables():
        if t.name == name:
            return t
    raise DomainError(_("There is no open data table called %(name)s.") % {"name": name})
