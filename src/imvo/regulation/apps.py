from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class RegulationConfig(appconfig.ImvoConfig):
    name = "imvo.regulation"
    verbose_name = _("Regulation")
    offers = ("nav", "demo")
    media = (
        (
            "regulation-retained",
            "regulation/retained",
            "filed regulatory exports kept for the legal retention period (LkSG 7 years)",
        ),
    )
    daily_jobs = (
        (
            "regulation-retention-purge",
            "services.retention.purge_expired",
            "remove filed regulatory exports whose legal retention period has ended",
        ),
    )
