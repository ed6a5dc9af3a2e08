from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from imvo.core import appconfig


class CollectiveConfig(appconfig.ImvoConfig):
    name = "imvo.collective"
    verbose_name = _("Joint action")
    # The risk register and the action plan sit below: they ask through the registry.
    offers = ("nav", "demo", "report")
    offers_from = {
        "risk_notes": "register_notes.notes_for",
        "plan_notes": "plan_notes.plan_notes",
        "submission_notes": "plan_notes.submission_notes",
    }

    def connect(self) -> None:
        from django.db.models.signals import post_save

        from imvo.collective.services import from_complaint, kpi

        # A complaint's remedy becomes a CAP item (complaints sits below and does not know
        # this app): a receiver, so the complaints' code is not touched.
        post_save.connect(
            from_complaint.on_transition,
            sender="complaints.Transition",
            dispatch_uid="collective-remedy-to-cap",
        )
        # CAP progress into the covenant's KPIs where an agreement measures it.
        post_save.connect(kpi.on_item_saved, sender="collective.CapItem", dispatch_uid="cap-kpi")
