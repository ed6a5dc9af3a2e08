"""Public dashboards: one covenant's charts now, and all covenants at a glance."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.core.registry import registry
from imvo.covenants.models import Agreement, Covenant, KpiMeasurement
from imvo.covenants.seams import kpi_progress, public_covenant_list
from imvo.reporting.charts import STATUS_COLOURS
from imvo.reporting.models import PublishedReport
from imvo.reporting.render import decorate
from imvo.reporting.services.build import (
    STATUS_ORDER,
    agreements_section,
    make_section,
    members_section,
    other_app_sections,
    report_years,
    status_label,
)
from imvo.reporting.services.publication import latest_edition


def covenant_dashboard(covenant: Covenant, today: date | None = None) -> dict[str, Any]:
    """Public charts for one covenant: KPI progress now, and the other apps' charts."""
    today = today or timezone.localdate()
    years = report_years(covenant, today)
    sections: list[dict[str, Any]] = []
    errors: list[str] = []
    if years:
        year = years[-1]
        sections.append(members_section(covenant, year, today))
        sections.append(agreements_section(covenant, year, today))
        extra, errors = other_app_sections(covenant, year, skip=RELEASED_ONLY)
        sections.extend(live_figures_only(s) for s in extra)
        if RELEASED_ONLY & registry.report_sections.keys():
            sections.extend(released_sections(covenant))
    return decorate({"sections": sections, "errors": errors, "year": years[-1] if years else None})


def live_figures_only(section: dict[str, Any]) -> dict[str, Any]:
    """The section without the figures its app keeps for published reports
    (`Figure.live`): what complainants answered after closure changed on this page
    the day one of them answered (docs/security.md, T74)."""
    return {**section, "figures": [f for f in section["figures"] if f.get("live", True)]}


# Sections computed from members' confidential sourcing (the risk app's sector
# risk: rows per country, theme scores). Drawn from today's data, each member's
# change showed on the public dashboard the moment it was made, so comparing the
# page from one day to the next read what one member changed, where the public
# list releases changes only in batches of K members (docs/security.md, T47). The
# dashboard shows them as the latest published report froze them: a change
# becomes public when the secretariat publishes, at its judgement.
RELEASED_ONLY = frozenset({"risk"})


def released_sections(covenant: Covenant) -> list[dict[str, Any]]:
    """The `RELEASED_ONLY` sections of the covenant's newest published report (its
    latest version, in the reader's language), each saying where it comes from;
    none before a report is published."""
    newest = (
        PublishedReport.objects.filter(covenant=covenant)
        .order_by("-year", "-version")
        .values_list("year", flat=True)
        .first()
    )
    edition = latest_edition(covenant, newest) if newest is not None else None
    if edition is None:
        return []
    note = _("As published in the %(year)s progress report (version %(version)s).") % {
        "year": edition.year,
        "version": edition.version,
    }
    return [
        {**s, "text": f"{note} {s['text']}".strip()}
        for s in edition.snapshot.get("sections", [])
        if s.get("app") in RELEASED_ONLY
    ]


def overview_dashboard(today: date | None = None) -> dict[str, Any]:
    """Across covenants: KPI status per covenant, and the covenants as a table."""
    today = today or timezone.localdate()
    # The same party count the public covenant list shows.
    covenants = list(public_covenant_list().order_by("name_en"))
    agreements = Agreement.objects.prefetch_related(
        Prefetch("measurements", queryset=KpiMeasurement.objects.filter(date__lte=today))
    )
    status_by_cov: dict[int, dict[str, int]] = {}
    for a in agreements:
        counts = status_by_cov.setdefault(a.covenant_id, dict.fromkeys(STATUS_ORDER, 0))
        counts[kpi_progress(a, today=today).status] += 1
    with_agreements = [c for c in covenants if c.pk in status_by_cov]
    rows = [
        [
            c.name,
            c.get_phase_display(),
            c.party_count,  # type: ignore[attr-defined]  # annotated by public_covenant_list
            *(status_by_cov.get(c.pk, {}).get(s, 0) for s in STATUS_ORDER),
        ]
        for c in covenants
    ]
    chart = {
        "type": "bar",
        "title": _("Agreements by KPI status, per covenant"),
        "stacked": True,
        "labels": [c.name for c in with_agreements],
        "series": [
            {
                "name": status_label(s),
                "values": [status_by_cov[c.pk][s] for c in with_agreements],
                "color": STATUS_COLOURS[s],
            }
            for s in STATUS_ORDER
        ],
    }
    section = make_section(
        "overview",
        _("All covenants"),
        figures=[
            {"label": _("Covenants"), "value": len(covenants), "unit": ""},
            {"label": _("Agreements with a KPI"), "value": agreements.count(), "unit": ""},
            {
                "label": _("Agreements on track or achieved"),
                "value": sum(v["on_track"] + v["achieved"] for v in status_by_cov.values()),
                "unit": "",
            },
        ],
        tables=[
            {
                "caption": _("Covenants and the KPI status of their agreements"),
                "header": [
                    _("Covenant"),
                    _("Phase"),
                    _("Parties"),
                    *map(status_label, STATUS_ORDER),
                ],
                "rows": rows,
            }
        ],
        charts=[chart] if with_agreements else [],
        sources=[_("KPI measurements recorded by the covenant secretariats")],
    )
    return decorate({"sections": [section], "errors": [], "covenants": covenants})
