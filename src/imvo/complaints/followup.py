"""Complaints over their time limit, counted for the covenant's secretariat page
(the count only: the cases stay on the committee's pages)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.complaints.models import Complaint, State
from imvo.complaints.services.committee import quorum_shortfall
from imvo.core.registry import FollowUp
from imvo.covenants.models import Covenant


def follow_ups(covenant: Covenant) -> list[FollowUp]:
    overdue = (
        Complaint.objects.filter(covenant=covenant, due__lt=timezone.localdate())
        .exclude(state=State.CLOSED)
        .count()
    )
    open_recused = (
        Complaint.objects.filter(covenant=covenant, recusals__isnull=False)
        .exclude(state=State.CLOSED)
        .distinct()
    )
    blocked = sum(1 for c in open_recused if quorum_shortfall(c))
    aftercare_open = (
        Complaint.objects.filter(
            covenant=covenant,
            after_closure_checks__follow_up_needed=True,
            after_closure_checks__follow_up_done_on__isnull=True,
        )
        .distinct()
        .count()
    )
    return [
        FollowUp(_("Complaints over their time limit"), overdue, reverse("complaints:overdue")),
        # A complainant said after closure that the remedy did not happen or reported reprisals.
        FollowUp(
            _("Closed complaints needing a follow-up after the complainant's answer"),
            aftercare_open,
            reverse("complaints:cases") + "?followup=1",
        ),
        # Recusals left too few members: the secretariat must appoint a substitute.
        FollowUp(
            _("Complaint cases blocked until a substitute is appointed"),
            blocked,
            reverse("complaints:cases"),
        ),
    ]
