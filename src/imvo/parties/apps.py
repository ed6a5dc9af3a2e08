from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class PartiesConfig(appconfig.ImvoConfig):
    name = "imvo.parties"
    verbose_name = _("Unions and NGOs: signals and production locations")
    offers = ("nav", "demo")
