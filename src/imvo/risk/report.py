"""The risk section of a covenant's public yearly progress report: the sector's risk, in aggregate.

Public aggregates only, under the covenant's disclosure rule (K, the public
production-location list's `DisclosurePolicy.min_members`): with fewer than K
member companies behind the sourcing data, nothing derived from it is shown
(the rows scanned, the theme scores: with one member they are that member's
chain); with K or more, a country is named only when K members source there,
the others are one "other countries" row (never named in the heatmap either).
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from imvo.core.countries import display_name as country_name
from imvo.core.registry import Chart, Figure, ReportSection, Series, Table
from imvo.covenants.models import Covenant


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    from imvo.risk import reference as ref
    from imvo.risk.services import covenant_analysis, public_countries
    from imvo.supplychain.seams import disclosure_threshold

    a = covenant_analysis(covenant)
    k = disclosure_threshold(covenant)
    if 0 < a["companies"] < k:
        # Every figure below is computed from the members' rows: with fewer than K
        # members behind them, they could be one member's chain.
        return [
            ReportSection(
                key="risk-sector",
                title=_("Sector risk"),
                text=_(
                    "The sector risk from members' sourcing is not shown: fewer than %(n)d "
                    "members shared sourcing data, and its figures could reveal one member's "
                    "supply chain."
                )
                % {"n": k},
                figures=[Figure(_("Member companies with sourcing data"), a["companies"])],
                sources=a["attribution"],
            )
        ]
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
    named, other = public_countries(a["countries"], k)
    top = named[:10]
    country_rows: list[list[object]] = [[country_name(c["country"]), c["share"]] for c in top]
    if other and named:
        country_rows.append(
            [_("Other countries (fewer than %(k)s members each)") % {"k": k}, other]
        )
    if country_rows:
        tables.append(
            Table(
                caption=_("Where the sector's sourcing concentrates"),
                header=[_("Country"), _("Share of rows (%)")],
                rows=country_rows,
            )
        )
    if top:
        heat = a["heatmap"]
        keep = [i for i, key in enumerate(heat["rows"]) if key in {c["country"] for c in top}]
        charts.append(
            Chart(
                kind="heatmap",
                title=_("Inherent risk by country and theme"),
                rows=[country_name(heat["rows"][i]) for i in keep],
                cols=[str(ref.THEME_LABELS[t]) for t in heat["cols"]],
                values=[heat["values"][i] for i in keep],
            )
        )
        country_text = _("Sourcing concentrates in %(c)s.") % {
            "c": ", ".join(
                f"{country_name(c['country'])} ({number_format(c['share'], 1)}%)" for c in top[:3]
            )
        }
    else:
        country_text = _(
            "Countries are not shown: fewer than %(n)d members shared sourcing data."
        ) % {"n": k}
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
