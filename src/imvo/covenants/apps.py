from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    name = "imvo.covenants"
    verbose_name = _("Covenants")

    def ready(self) -> None:
        from imvo.core import storage
        from imvo.core.cache import bump_on_change
        from imvo.core.registry import registry
        from imvo.covenants import demo, models, nav, report, services

        storage.register_media(
            "governance", "governance", "meeting papers of the covenants' governance bodies"
        )
        # Public fragments are cached (docs/performance.md): any change to what
        # they show starts a new cache version.
        bump_on_change(
            services.bump_public_version,
            (
                models.Covenant,
                models.Organisation,
                models.Adherence,
                models.AdherenceChange,
                models.Agreement,
                models.KpiMeasurement,
                models.ProcessStep,
                models.GovernanceBody,
                models.Seat,
                models.Theme,
            ),
            uid="pv",
            through=(models.Agreement.owners.through, models.Agreement.themes.through),
        )
        # What this app offers the start page, `imvo demo` and the yearly report.
        from imvo.covenants import followup

        registry.add_app(
            "covenants",
            nav=nav.links_for,
            demo=demo.load,
            report=report.report_sections,
            follow_up=followup.follow_ups,
        )
