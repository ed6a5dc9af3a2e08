from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "imvo.reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from imvo.core.registry import registry
        from imvo.reporting import nav

        # What this app offers the start page, `imvo demo` and the yearly report.
        registry.add_nav_links("reporting", nav.links_for)
        registry.add_demo_loader("reporting", load_demo)


def load_demo() -> list[tuple[str, str]]:
    """The app's demo data (imported only when `imvo demo` runs)."""
    from imvo.reporting import demo

    return list(demo.load() or [])
