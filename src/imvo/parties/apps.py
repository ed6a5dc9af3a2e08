from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "imvo.parties"
    verbose_name = _("Unions and NGOs: signals and production locations")

    def ready(self) -> None:
        from imvo.core.registry import registry
        from imvo.parties import demo, nav

        registry.add_app("parties", nav=nav.links_for, demo=demo.load)
