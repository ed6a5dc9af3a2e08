from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuediligenceConfig(AppConfig):
    name = "imvo.duediligence"
    verbose_name = _("Due diligence")

    def ready(self) -> None:
        from imvo.core import storage
        from imvo.core.registry import registry

        # What this app offers the start page, `imvo demo` and the yearly report.
        from imvo.duediligence import demo, followup, nav, report

        registry.add_app(
            "duediligence",
            nav=nav.links_for,
            demo=demo.load,
            report=report.report_sections,
            follow_up=followup.follow_ups,
        )
        storage.register_media(
            "due-diligence-evidence",
            "duediligence/evidence",
            "evidence attached to progress updates on action-plan actions",
        )
