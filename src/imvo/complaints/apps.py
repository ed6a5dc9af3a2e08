from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class ComplaintsConfig(appconfig.ImvoConfig):
    name = "imvo.complaints"
    verbose_name = _("Complaints")
    offers = ("nav", "demo", "report", "follow_up")
    verifiers = {"complaints": "restore_check.fingerprints"}

    def connect(self) -> None:
        from datetime import timedelta
        from pathlib import Path

        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save, pre_save

        from imvo.accounts.models import CovenantRole
        from imvo.complaints import grants, jobs
        from imvo.core import schedule, storage

        storage.register(
            "complaint-evidence",
            lambda: Path(settings.VAR_DIR) / "complaints" / "evidence",
            "complaint evidence files, encrypted with the complaints key",
            private=True,  # folders 0700, files 0600 (evidence.py), restored so
        )
        pre_save.connect(grants.role_saving, sender=CovenantRole, dispatch_uid="complaints-role")
        post_save.connect(grants.role_saved, sender=CovenantRole, dispatch_uid="complaints-role")
        post_delete.connect(
            grants.role_deleted, sender=CovenantRole, dispatch_uid="complaints-role"
        )
        pre_save.connect(
            grants.user_saving, sender=get_user_model(), dispatch_uid="complaints-admin"
        )
        for name, chore, what in jobs.DAILY:
            schedule.register_job(name, chore, timedelta(days=1), what)
