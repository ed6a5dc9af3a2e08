"""The due-diligence section of a covenant's public yearly progress report.

Public aggregates only: no company is named, and where fewer than
``MIN_GROUP`` members were assessed in a year the scores of that year are
left out, because a mean over one or two members would disclose their
confidential assessment.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

MIN_GROUP = 3
NOT_SHOWN = "\u2013"  # an en dash: suppressed small-group figure


def report_sections(covenant: Any, year: int) -> list[dict]:
    from imvo.duediligence.services import covenant_figures

    figures = covenant_figures(covenant, years=[year])
    years = [y for y in figures["years"] if y["year"] <= year]
    if not any(y["submitted"] for y in years):
        return []
    this = next(y for y in years if y["year"] == year)
    shown = [y for y in years if y["assessed"] >= MIN_GROUP]
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
    figures_out: list[dict] = [
        {"label": _("Members assessed"), "value": this["share_assessed"] or 0, "unit": "%"},
        {
            "label": _("Assessed members meeting the requirements"),
            "value": this["share_meets"]
            if enough and this["share_meets"] is not None
            else NOT_SHOWN,
            "unit": "%" if enough else "",
        },
        {
            "label": _("Actions done or on track"),
            "value": figures["share_on_track"] or 0,
            "unit": "%",
        },
    ]
    if enough and this["mean_score"] is not None:
        figures_out.append(
            {"label": _("Mean assessed score"), "value": this["mean_score"], "unit": _("of 100")}
        )
    tables = [
        {
            "caption": _("Due-diligence assessments per year"),
            "header": [
                _("Year"),
                _("Member companies"),
                _("Assessed"),
                _("Meet"),
                _("Meet partly"),
                _("Do not meet"),
            ],
            "rows": [
                [y["year"], y["members"], y["assessed"]]
                + (
                    [y["meets"], y["partly"], y["does_not_meet"]]
                    if y["assessed"] >= MIN_GROUP
                    else [NOT_SHOWN, NOT_SHOWN, NOT_SHOWN]
                )
                for y in years
            ],
        }
    ]
    if figures["themes"]:
        tables.append(
            {
                "caption": _("Themes most often prioritised in members' action plans"),
                "header": [_("Theme"), _("Members with actions on it")],
                "rows": [[t, n] for t, n in figures["themes"][:10]],
            }
        )
    charts: list[dict] = []
    if shown:
        charts.append(
            {
                "type": "bar",
                "title": _("Share of assessed members meeting the requirements"),
                "labels": [str(y["year"]) for y in shown],
                "series": [
                    {"name": _("Meets (%)"), "values": [y["share_meets"] or 0 for y in shown]}
                ],
            }
        )
        elements: list[str] = []
        for y in shown:
            elements += [e for e in y["elements"] if e not in elements]
        if elements:
            charts.append(
                {
                    "type": "heatmap",
                    "title": _("Mean score per element of the framework"),
                    "rows": elements,
                    "cols": [str(y["year"]) for y in shown],
                    "values": [[y["elements"].get(e) for y in shown] for e in elements],
                }
            )
    return [
        {
            "key": "due-diligence",
            "title": _("Due diligence by member companies"),
            "text": text,
            "figures": figures_out,
            "tables": tables,
            "charts": charts,
            "sources": [
                _("Secretariat's assessments of members' yearly due-diligence submissions")
            ],
        }
    ]
