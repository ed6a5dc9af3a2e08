from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegulationConfig(AppConfig):
    name = "imvo.regulation"
    verbose_name = _("Regulation")

    def ready(self) -> None:
        from datetime import timedelta

        from imvo.core import schedule, storage
        from imvo.core.registry import registry
        from imvo.regulation import demo, nav
        from imvo.regulation.services import retention

        # What this app offers the start page and `imvo demo`.
        registry.add_app("regulation", nav=nav.links_for, demo=demo.load)
        storage.register_media(
            "regulation-retained",
            "regulation/retained",
            "filed regulatory exports kept for the legal retention period (LkSG 7 years)",
        )
        schedule.register_job(
            "regulation-retention-purge",
            retention.purge_expired,
            timedelta(days=1),
            "remove filed regulatory exports whose legal retention period has ended",
        )
