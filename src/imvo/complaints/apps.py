from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "imvo.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from datetime import timedelta
        from pathlib import Path

        from django.conf import settings

        # What this app offers the start page, `imvo demo` and the yearly report.
        from imvo.complaints import demo, followup, jobs, nav, report, restore_check
        from imvo.core import backup, schedule, storage
        from imvo.core.registry import registry

        registry.add_app(
            "complaints",
            nav=nav.links_for,
            demo=demo.load,
            report=report.report_sections,
            follow_up=followup.follow_ups,
        )
        storage.register(
            "complaint-evidence",
            lambda: Path(settings.VAR_DIR) / "complaints" / "evidence",
            "complaint evidence files, encrypted with the complaints key",
        )
        backup.register_verifier("complaints", restore_check.fingerprints)
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save, pre_save

        from imvo.accounts.models import CovenantRole
        from imvo.complaints import grants

        post_save.connect(grants.role_saved, sender=CovenantRole, dispatch_uid="complaints-role")
        post_delete.connect(
            grants.role_deleted, sender=CovenantRole, dispatch_uid="complaints-role"
        )
        pre_save.connect(
            grants.user_saving, sender=get_user_model(), dispatch_uid="complaints-admin"
        )
        for name, chore, what in jobs.DAILY:
            schedule.register_job(name, chore, timedelta(days=1), what)
