"""The complaints section of a covenant's public yearly progress report (aggregates only)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from imvo.complaints.models import Complaint
from imvo.complaints.services import figures


def report_sections(covenant: Any, year: int) -> list[dict[str, Any]]:
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
        {
            "key": "complaints",
            "title": _("Complaints and access to remedy"),
            "text": _(
                "The covenant's independent complaints committee handles complaints from "
                "workers, their representatives and organisations. These figures show how "
                "predictable and transparent the mechanism was (UN Guiding Principle 31). "
                "They count complaints filed in the year; no case can be singled out."
            ),
            "figures": [
                {"label": _("Complaints received"), "value": f["received"], "unit": ""},
                {"label": _("Admissible"), "value": f["admissible"], "unit": ""},
                {"label": _("Resolved"), "value": f["resolved"], "unit": ""},
                {
                    "label": _("Median days to acknowledge"),
                    "value": num(f["median_days_to_acknowledge"]),
                    "unit": _("days"),
                },
                {
                    "label": _("Median days to admissibility"),
                    "value": num(f["median_days_to_admissibility"]),
                    "unit": _("days"),
                },
                {
                    "label": _("Median days to decision"),
                    "value": num(f["median_days_to_decision"]),
                    "unit": _("days"),
                },
                {
                    "label": _("Steps within time limits"),
                    "value": num(f["within_time_limits_percent"]),
                    "unit": "%",
                },
                {"label": _("Remedies agreed"), "value": f["remedies_agreed"], "unit": ""},
                {
                    "label": _("Remedies carried out"),
                    "value": f["remedies_carried_out"],
                    "unit": "",
                },
            ],
            "tables": [
                {
                    "caption": _("Complaints by theme"),
                    "header": [_("Theme"), _("Complaints")],
                    "rows": [[k, v] for k, v in sorted(by_theme.items(), key=lambda kv: -kv[1])],
                }
            ],
            "charts": [
                {
                    "type": "bar",
                    "title": _("Complaints handled"),
                    "labels": [_("Received"), _("Admissible"), _("Resolved")],
                    "series": [
                        {
                            "name": str(year - 1),
                            "values": [prev["received"], prev["admissible"], prev["resolved"]],
                        },
                        {
                            "name": str(year),
                            "values": [f["received"], f["admissible"], f["resolved"]],
                        },
                    ],
                }
            ],
            "sources": [_("Complaints register of the covenant's complaints committee")],
        }
    ]
