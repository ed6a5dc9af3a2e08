from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class DuediligenceConfig(appconfig.ImvoConfig):
    name = "imvo.duediligence"
    verbose_name = _("Due diligence")
    offers = ("nav", "demo", "report", "follow_up")
    media = (
        (
            "due-diligence-evidence",
            "duediligence/evidence",
            "evidence attached to progress updates on action-plan actions",
        ),
    )
