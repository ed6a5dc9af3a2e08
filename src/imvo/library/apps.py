from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "imvo.library"
    verbose_name = _("Learning library")

    def ready(self) -> None:
        from imvo.core import storage
        from imvo.core.registry import registry
        from imvo.library import demo, nav

        # What this app offers the start page and `imvo demo`.
        registry.add_app("library", nav=nav.links_for, demo=demo.load)
        storage.register_media(
            "learning", "learning", "attachments of good-practice items in the learning library"
        )
