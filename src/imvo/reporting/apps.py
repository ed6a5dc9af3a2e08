from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "imvo.reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from imvo.core.registry import registry
        from imvo.reporting import demo, nav

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_app("reporting", nav=nav.links_for, demo=demo.load)
