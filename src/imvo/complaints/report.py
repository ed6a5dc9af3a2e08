"""The complaints section of a covenant's public yearly progress report (aggregates only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from imvo.complaints.models import ProcedureSettings
from imvo.complaints.services import figures
from imvo.complaints.services.deadlines import procedure_for
from imvo.complaints.services.register import COLUMNS, register_rows
from imvo.core.registry import Chart, Figure, ReportSection, Series, Table
from imvo.covenants.models import Covenant


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    # The complaints of this year and the last, read once for both years' figures and
    # this year's themes.
    procedure = procedure_for(covenant)
    filed = list(figures.filed_in(covenant, [year - 1, year]).prefetch_related("themes"))
    both = figures.figures_of_years(covenant, [year - 1, year], filed, procedure)
    f, prev = both[year], both[year - 1]
    by_theme: dict[str, int] = {}
    for c in filed:
        if figures.filing_year(c) != year:
            continue
        for t in c.themes.all():
            by_theme[t.name] = by_theme.get(t.name, 0) + 1

    answers_shown = figures.answer_figures_shown(f)

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
                # What complainants answered after closure, only from the answers of
                # MIN_ANSWERS_PUBLISHED cases on, and only in published reports: the
                # live dashboard would show each answer the day it is given (T74).
                Figure(
                    _("Complainants satisfied the remedy happened (3 and 6 months after closure)"),
                    num(f["remedy_satisfaction_percent"] if answers_shown else None),
                    "%",
                    live=False,
                ),
                Figure(
                    _("Retaliation reported after closure"),
                    num(f["retaliation_reports"] if answers_shown else None),
                    "",
                    live=False,
                ),
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
        ),
        register_section(covenant, year, procedure),
    ]


def register_section(
    covenant: Covenant, year: int, procedure: ProcedureSettings | None = None
) -> ReportSection:
    """The public case register (services/register.py) of the cases filed in the
    year: the same rows as the public page, so nothing more leaves the committee."""
    rows = [
        r for r in register_rows(covenant, procedure) if r["filed_month"].startswith(f"{year}-")
    ]
    return ReportSection(
        key="complaints-register",
        title=_("Public case register"),
        text=_(
            "Every admissible complaint filed in the year, as the public case register "
            "shows it. Nothing in it can identify a complainant."
        ),
        figures=[Figure(_("Cases in the register"), len(rows), "")],
        tables=[
            Table(
                caption=_("Public case register"),
                header=[str(label) for _key, label in COLUMNS],
                rows=[["" if r[k] is None else r[k] for k, _label in COLUMNS] for r in rows],
            )
        ],
        sources=[_("Public case register of the covenant's complaints committee")],
    )
