from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectiveConfig(AppConfig):
    name = "imvo.collective"
    verbose_name = _("Joint action")

    def ready(self) -> None:
        from imvo.collective import demo, nav, register_notes, report
        from imvo.core.registry import registry

        # What this app offers the start page, `imvo demo`, the yearly report and the
        # risk register (a lower floor, so it asks through the registry).
        registry.add_app(
            "collective",
            nav=nav.links_for,
            demo=demo.load,
            report=report.report_sections,
            risk_notes=register_notes.notes_for,
        )
