from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    name = "imvo.risk"
    verbose_name = _("Risk")

    def ready(self) -> None:
        from imvo.core.registry import registry
        from imvo.risk import nav, report

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_nav_links("risk", nav.links_for)
        registry.add_demo_loader("risk", load_demo)
        registry.add_report_sections("risk", report.report_sections)


def load_demo() -> list[tuple[str, str]]:
    """The app's demo data (imported only when `imvo demo` runs)."""
    from imvo.risk import demo

    return list(demo.load() or [])
