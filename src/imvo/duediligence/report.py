"""The due-diligence section of a covenant's public yearly progress report.

Public aggregates only: no company is named, and where fewer than
``MIN_GROUP`` members were assessed in a year the scores of that year are
left out, because a mean over one or two members would disclose their
confidential assessment.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from imvo.core.registry import Chart, Figure, ReportSection, Series, Table
from imvo.covenants.models import Covenant
from imvo.duediligence.services.figures import covenant_figures, element_rows

MIN_GROUP = 3
NOT_SHOWN = "\u2013"  # an en dash: suppressed small-group figure


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    figures = covenant_figures(covenant, years=[year])
    years = [y for y in figures["years"] if y["year"] <= year]
    if not any(y["submitted"] for y in years):
        return []
    this = next(y for y in years if y["year"] == year)
    shown = [y for y in years if y["assessed"] >= MIN_GROUP]
    # Action plans are confidential as assessments are: their themes and progress
    # only once MIN_GROUP members have actions (one member's were its plan: T50).
    plans_shown = figures["action_members"] >= MIN_GROUP
    enough = this["assessed"] >= MIN_GROUP
    if enough:
        text = _(
            "In %(year)s, %(assessed)s of %(members)s member companies were assessed on their "
            "due diligence along the OECD steps; %(meets)s met the requirements, %(partly)s "
            "met them partly and %(not)s did not."
        ) % {
            "year": year,
            "assessed": this["assessed"],
            "members": this["members"],
            "meets": this["meets"],
            "partly": this["partly"],
            "not": this["does_not_meet"],
        }
    else:
        text = _(
            "In %(year)s, %(assessed)s of %(members)s member companies were assessed on their "
            "due diligence along the OECD steps. Results are not shown for years with fewer "
            "than %(n)s assessed members, so no member's assessment can be read from them."
        ) % {"year": year, "assessed": this["assessed"], "members": this["members"], "n": MIN_GROUP}
    figures_out = [
        Figure(_("Members assessed"), this["share_assessed"] or 0, "%"),
        Figure(
            _("Assessed members meeting the requirements"),
            this["share_meets"] if enough and this["share_meets"] is not None else NOT_SHOWN,
            "%" if enough else "",
        ),
        Figure(
            _("Actions done or on track"),
            (figures["share_on_track"] or 0) if plans_shown else NOT_SHOWN,
            "%" if plans_shown else "",
        ),
    ]
    if enough and this["mean_score"] is not None:
        figures_out.append(Figure(_("Mean assessed score"), this["mean_score"], _("of 100")))
    tables = [
        Table(
            caption=_("Due-diligence assessments per year"),
            header=[
                _("Year"),
                _("Member companies"),
                _("Assessed"),
                _("Meet"),
                _("Meet partly"),
                _("Do not meet"),
            ],
            rows=[
                [y["year"], y["members"], y["assessed"]]
                + (
                    [y["meets"], y["partly"], y["does_not_meet"]]
                    if y["assessed"] >= MIN_GROUP
                    else [NOT_SHOWN, NOT_SHOWN, NOT_SHOWN]
                )
                for y in years
            ],
        )
    ]
    if figures["themes"] and plans_shown:
        tables.append(
            Table(
                caption=_("Themes most often prioritised in members' action plans"),
                header=[_("Theme"), _("Members with actions on it")],
                rows=[[t, n] for t, n in figures["themes"][:10]],
            )
        )
    charts: list[Chart] = []
    if shown:
        charts.append(
            Chart(
                kind="bar",
                title=_("Share of assessed members meeting the requirements"),
                labels=[str(y["year"]) for y in shown],
                series=[Series(_("Meets (%)"), [y["share_meets"] or 0 for y in shown])],
            )
        )
        rows = element_rows(shown)
        if rows:
            charts.append(
                Chart(
                    kind="heatmap",
                    title=_("Mean score per element of the framework"),
                    rows=[name for name, _scores in rows],
                    cols=[str(y["year"]) for y in shown],
                    values=[scores for _name, scores in rows],
                )
            )
    return [
        ReportSection(
            key="due-diligence",
            title=_("Due diligence by member companies"),
            text=text,
            figures=figures_out,
            tables=tables,
            charts=charts,
            sources=[_("Secretariat's assessments of members' yearly due-diligence submissions")],
        )
    ]
