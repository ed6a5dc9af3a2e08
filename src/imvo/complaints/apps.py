from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "imvo.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from imvo.complaints import nav, report
        from imvo.core.registry import registry

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_nav_links("complaints", nav.links_for)
        registry.add_demo_loader("complaints", load_demo)
        registry.add_report_sections("complaints", report.report_sections)


def load_demo() -> list[tuple[str, str]]:
    """The app's demo data (imported only when `imvo demo` runs)."""
    from imvo.complaints import demo

    return list(demo.load() or [])
