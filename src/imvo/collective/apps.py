from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectiveConfig(AppConfig):
    name = "imvo.collective"
    verbose_name = _("Joint action")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from imvo.collective import demo, nav, plan_notes, register_notes, report
        from imvo.collective.services import from_complaint, kpi
        from imvo.core.registry import registry

        # What this app offers the start page, `imvo demo`, the yearly report and the
        # risk register (a lower floor, so it asks through the registry).
        registry.add_app(
            "collective",
            nav=nav.links_for,
            demo=demo.load,
            report=report.report_sections,
            risk_notes=register_notes.notes_for,
            plan_notes=plan_notes.plan_notes,
            submission_notes=plan_notes.submission_notes,
        )
        # A complaint's remedy becomes a CAP item (complaints sits below and does not know
        # this app): a receiver, so the complaints' code is not touched.
        post_save.connect(
            from_complaint.on_transition,
            sender="complaints.Transition",
            dispatch_uid="collective-remedy-to-cap",
        )
        # CAP progress into the covenant's KPIs where an agreement measures it.
        post_save.connect(kpi.on_item_saved, sender="collective.CapItem", dispatch_uid="cap-kpi")
