"""The risk section of a covenant's public yearly progress report: the sector's risk, in aggregate.

Public aggregates only: themes ranked by the sector's inherent risk, and the
sourcing countries only when at least `MIN_COMPANIES` members contributed
sourcing data (with fewer, a country list could reveal one company's chain).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from imvo.core.registry import Chart, Figure, ReportSection, Series, Table
from imvo.covenants.models import Covenant

MIN_COMPANIES = 3


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    from imvo.risk import reference as ref
    from imvo.risk.services import covenant_analysis

    a = covenant_analysis(covenant)
    themes = a["themes"]
    figures = [
        Figure(_("Member companies with sourcing data"), a["companies"]),
        Figure(_("Sourcing rows scanned"), a["rows"]),
        Figure(_("Themes at high risk"), sum(1 for t in themes if t["level"] == "high")),
    ]
    tables = [
        Table(
            caption=_("Themes by the sector's inherent risk (0..100)"),
            header=[_("Theme"), _("Highest"), _("Mean"), _("Rows at high risk")],
            rows=[[t["label"], t["max_score"], t["mean_score"], t["high"]] for t in themes],
        )
    ]
    charts = [
        Chart(
            kind="bar",
            title=_("Mean inherent risk per theme"),
            labels=[t["label"] for t in themes],
            series=[Series(_("Mean inherent risk"), [t["mean_score"] for t in themes])],
        )
    ]
    if a["companies"] >= MIN_COMPANIES:
        top = a["countries"][:10]
        tables.append(
            Table(
                caption=_("Where the sector's sourcing concentrates"),
                header=[_("Country"), _("Share of rows (%)")],
                rows=[[c["country"], c["share"]] for c in top],
            )
        )
        heat = a["heatmap"]
        keep = [i for i, k in enumerate(heat["rows"]) if k in {c["country"] for c in top}]
        charts.append(
            Chart(
                kind="heatmap",
                title=_("Inherent risk by country and theme"),
                rows=[heat["rows"][i] for i in keep],
                cols=[str(ref.THEME_LABELS[t]) for t in heat["cols"]],
                values=[heat["values"][i] for i in keep],
            )
        )
        country_text = _("Sourcing concentrates in %(c)s.") % {
            "c": ", ".join(f"{c['country']} ({c['share']}%)" for c in top[:3])
        }
    else:
        country_text = _(
            "Countries are not shown: fewer than %(n)d members shared sourcing data."
        ) % {"n": MIN_COMPANIES}
    if themes:
        text = _("The sector's highest inherent risks are %(t)s.") % {
            "t": ", ".join(t["label"].lower() for t in themes[:3])
        }
    else:
        text = _("No member has shared sourcing data yet, so the sector risk cannot be shown.")
    return [
        ReportSection(
            key="risk-sector",
            title=_("Sector risk"),
            text=f"{text} {country_text} "
            + _(
                "Inherent risk combines country indicators with the sector's risk profile; see the method page."
            ),
            figures=figures,
            tables=tables,
            charts=charts,
            sources=a["attribution"],
        )
    ]
