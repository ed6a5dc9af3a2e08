"""Complaints over their time limit, counted for the covenant's secretariat page
(the count only: the cases stay on the committee's pages)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.complaints.models import Complaint, State
from imvo.core.registry import FollowUp
from imvo.covenants.models import Covenant


def follow_ups(covenant: Covenant) -> list[FollowUp]:
    overdue = (
        Complaint.objects.filter(covenant=covenant, due__lt=timezone.localdate())
        .exclude(state=State.CLOSED)
        .count()
    )
    return [FollowUp(_("Complaints over their time limit"), overdue, reverse("complaints:overdue"))]
