from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "imvo.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from imvo.complaints import demo, nav, report
        from imvo.core.registry import registry

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_app(
            "complaints", nav=nav.links_for, demo=demo.load, report=report.report_sections
        )
