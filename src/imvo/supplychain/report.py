"""The supply chain's section of a covenant's public yearly progress report.

Public aggregates only: how many production locations members disclosed, in how
many countries, how many are shared by several members. Never which member
sources where.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from imvo.core.countries import display_name as country_name
from imvo.core.registry import Chart, Figure, ReportSection, Series, Table
from imvo.covenants.models import Covenant


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    from imvo.supplychain.public import covenant_figures

    f = covenant_figures(covenant, year)
    if not f["locations"]:
        return []
    top = f["by_country"][:10]
    return [
        ReportSection(
            key="supplychain-locations",
            title=_("Production locations"),
            text=_(
                "%(members)s members disclosed their production locations for %(year)s: "
                "%(locations)s unique locations in %(countries)s countries, of which %(shared)s "
                "are used by more than one member. Shared locations are where members can act "
                "together. The full list is published without naming the buyers."
            )
            % {
                "members": f["members_disclosing"],
                "year": year,
                "locations": f["locations"],
                "countries": f["countries"],
                "shared": f["shared"],
            },
            figures=[
                Figure(_("Production locations"), f["locations"]),
                Figure(_("Countries"), f["countries"]),
                Figure(_("Shared by two or more members"), f["shared"]),
                Figure(_("Members disclosing"), f["members_disclosing"]),
            ],
            tables=[
                Table(
                    caption=_("Production locations by country"),
                    header=[_("Country"), _("Locations")],
                    rows=[[country_name(c), n] for c, n in f["by_country"]]
                    + (
                        [
                            [
                                _("Other countries (fewer than %(k)s members each)")
                                % {"k": f["min_members"]},
                                f["other_countries"],
                            ]
                        ]
                        if f["other_countries"]
                        else []
                    ),
                )
            ],
            charts=[
                Chart(
                    kind="bar",
                    title=_("Production locations by country (top 10)"),
                    labels=[country_name(c) for c, _n in top],
                    series=[Series(_("Locations"), [n for _c, n in top])],
                )
            ],
            sources=[_("Supplier lists disclosed by covenant members on the platform")],
        )
    ]
