from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class LibraryConfig(appconfig.ImvoConfig):
    name = "imvo.library"
    verbose_name = _("Learning library")
    offers = ("nav", "demo")
    media = (
        ("learning", "learning", "attachments of good-practice items in the learning library"),
    )
