from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class CovenantsConfig(appconfig.ImvoConfig):
    name = "imvo.covenants"
    verbose_name = _("Covenants")
    offers = ("nav", "demo", "report", "follow_up")
    media = (("governance", "governance", "meeting papers of the covenants' governance bodies"),)

    def connect(self) -> None:
        from imvo.core.cache import bump_on_change
        from imvo.covenants import models, services

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
