"""The complaints section of a covenant's public yearly progress report (aggregates only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from imvo.complaints.models import Complaint
from imvo.complaints.services import figures
from imvo.core.registry import Chart, Figure, ReportSection, Series, Table
from imvo.covenants.models import Covenant


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    f = figures.ungp31_figures(covenant, year)
    prev = figures.ungp31_figures(covenant, year - 1)
    by_theme: dict[str, int] = {}
    for c in Complaint.objects.filter(covenant=covenant, filed_at__year=year).prefetch_related(
        "themes"
    ):
        for t in c.themes.all():
            by_theme[t.name] = by_theme.get(t.name, 0) + 1

    def num(v: Any) -> Any:
        return "-" if v is None else v

    return [
        ReportSection(
            key="complaints",
            title=_("Complaints and access to remedy"),
            text=_(
                "The covenant's independent complaints committee handles complaints from "
                "workers, their representatives and organisations. These figures show how "
                "predictable and transparent the mechanism was (UN Guiding Principle 31). "
                "They count complaints filed in the year; no case can be singled out."
            ),
            figures=[
                Figure(_("Complaints received"), f["received"], ""),
                Figure(_("Admissible"), f["admissible"], ""),
                Figure(_("Resolved"), f["resolved"], ""),
                Figure(
                    _("Median days to acknowledge"), num(f["median_days_to_acknowledge"]), _("days")
                ),
                Figure(
                    _("Median days to admissibility"),
                    num(f["median_days_to_admissibility"]),
                    _("days"),
                ),
                Figure(_("Median days to decision"), num(f["median_days_to_decision"]), _("days")),
                Figure(_("Steps within time limits"), num(f["within_time_limits_percent"]), "%"),
                Figure(_("Remedies agreed"), f["remedies_agreed"], ""),
                Figure(_("Remedies carried out"), f["remedies_carried_out"], ""),
            ],
            tables=[
                Table(
                    caption=_("Complaints by theme"),
                    header=[_("Theme"), _("Complaints")],
                    rows=[[k, v] for k, v in sorted(by_theme.items(), key=lambda kv: -kv[1])],
                )
            ],
            charts=[
                Chart(
                    kind="bar",
                    title=_("Complaints handled"),
                    labels=[_("Received"), _("Admissible"), _("Resolved")],
                    series=[
                        Series(
                            str(year - 1), [prev["received"], prev["admissible"], prev["resolved"]]
                        ),
                        Series(str(year), [f["received"], f["admissible"], f["resolved"]]),
                    ],
                )
            ],
            sources=[_("Complaints register of the covenant's complaints committee")],
        )
    ]
