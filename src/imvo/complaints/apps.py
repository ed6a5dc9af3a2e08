from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "imvo.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from pathlib import Path

        from django.conf import settings

        from imvo.complaints import restore_check
        from imvo.core import backup, storage

        storage.register(
            "complaint-evidence",
            lambda: Path(settings.VAR_DIR) / "complaints" / "evidence",
            "complaint evidence files, encrypted with the complaints key",
        )
        backup.register_verifier("complaints", restore_check.fingerprints)
