from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuediligenceConfig(AppConfig):
    name = "imvo.duediligence"
    verbose_name = _("Due diligence")

    def ready(self) -> None:
        from imvo.core.registry import registry
        from imvo.duediligence import nav, report

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_nav_links("duediligence", nav.links_for)
        registry.add_demo_loader("duediligence", load_demo)
        registry.add_report_sections("duediligence", report.report_sections)


def load_demo() -> list[tuple[str, str]]:
    """The app's demo data (imported only when `imvo demo` runs)."""
    from imvo.duediligence import demo

    return list(demo.load() or [])
