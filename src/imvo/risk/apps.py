from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class RiskConfig(appconfig.ImvoConfig):
    name = "imvo.risk"
    verbose_name = _("Risk")
    offers = ("nav", "demo", "report")
    # The scan it stores when a member's disclosure version becomes current.
    offers_from = {"disclosure_version": "tasks.on_disclosure_version"}
