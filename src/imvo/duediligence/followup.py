"""What is overdue in a covenant's due-diligence cycle, for its secretariat's page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.core.registry import FollowUp
from imvo.covenants.models import Covenant
from imvo.duediligence.models import Submission
from imvo.duediligence.services.review import not_started_in, overdue_improvements_in


def follow_ups(covenant: Covenant) -> list[FollowUp]:
    today = timezone.localdate()
    # The reporting year is the last one members submit for; before any, last year.
    year = (
        Submission.objects.filter(covenant=covenant)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
        or today.year - 1
    )
    queue = reverse("duediligence:queue", args=[covenant.slug])
    waiting = Submission.objects.filter(
        covenant=covenant,
        year=year,
        status__in=(Submission.Status.SUBMITTED, Submission.Status.UNDER_REVIEW),
    ).count()
    return [
        FollowUp(
            _("Members that have not started their due-diligence report %(year)s") % {"year": year},
            not_started_in(covenant, year).count(),
            f"{queue}?year={year}",
        ),
        FollowUp(_("Due-diligence reports waiting for review"), waiting, f"{queue}?year={year}"),
        FollowUp(
            _("Improvement deadlines passed"),
            overdue_improvements_in(covenant, today).count(),
            queue,
        ),
    ]
