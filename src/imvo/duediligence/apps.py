from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuediligenceConfig(AppConfig):
    name = "imvo.duediligence"
    verbose_name = _("Due diligence")

    def ready(self) -> None:
        from imvo.core import storage

        storage.register_media(
            "due-diligence-evidence",
            "duediligence/evidence",
            "evidence attached to progress updates on action-plan actions",
        )
