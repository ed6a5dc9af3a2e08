from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuediligenceConfig(AppConfig):
    name = "imvo.duediligence"
    verbose_name = _("Due diligence")

    def ready(self) -> None:
        from imvo.core import storage
        from imvo.core.registry import registry
        from imvo.duediligence import demo, nav, report

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_app(
            "duediligence", nav=nav.links_for, demo=demo.load, report=report.report_sections
        )
        storage.register_media(
            "due-diligence-evidence",
            "duediligence/evidence",
            "evidence attached to progress updates on action-plan actions",
        )
