from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "imvo.risk"
    verbose_name = _("Risk")

    def ready(self) -> None:
        from imvo.core.registry import registry
        from imvo.risk import demo, nav, report, tasks

        # What this app offers the start page, `imvo demo` and the yearly report, and
        # the scan it stores when a member's disclosure version becomes current.
        registry.add_app(
            "risk",
            nav=nav.links_for,
            demo=demo.load,
            report=report.report_sections,
            disclosure_version=tasks.on_disclosure_version,
        )
