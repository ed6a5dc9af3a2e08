from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CovenantsConfig(AppConfig):
    name = "imvo.covenants"
    verbose_name = _("Covenants")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from imvo.core import storage
        from imvo.core.registry import registry
        from imvo.covenants import demo, models, nav, report, services

        storage.register_media(
            "governance", "governance", "meeting papers of the covenants' governance bodies"
        )
        # Public fragments are cached (docs/performance.md): any change to what
        # they show starts a new cache version.
        for model in (
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
        ):
            post_save.connect(
                services.bump_public_version, sender=model, dispatch_uid=f"pv-s-{model}"
            )
            post_delete.connect(
                services.bump_public_version, sender=model, dispatch_uid=f"pv-d-{model}"
            )
        for through in (models.Agreement.owners.through, models.Agreement.themes.through):
            m2m_changed.connect(
                services.bump_public_version, sender=through, dispatch_uid=f"pv-m-{through}"
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
