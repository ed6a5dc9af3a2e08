"""What is overdue in a covenant's agreements, for its secretariat's page."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.core.registry import FollowUp
from imvo.covenants.models import Covenant, KpiMeasurement, MembershipApplication
from imvo.covenants.services import kpi_progress

# A KPI is measured at least yearly; one without a measurement for longer is overdue.
MEASUREMENT_INTERVAL = timedelta(days=365)


def follow_ups(covenant: Covenant) -> list[FollowUp]:
    today = timezone.localdate()
    manage = reverse("covenants:manage", args=[covenant.slug])
    agreements = list(
        covenant.agreements.filter(deadline__gte=today)
        .annotate(last=Max("measurements__date"))
        .prefetch_related(
            Prefetch("measurements", queryset=KpiMeasurement.objects.order_by("date"))
        )
    )
    unmeasured = sum(
        1 for a in agreements if (a.last or a.baseline_date) < today - MEASUREMENT_INTERVAL
    )
    behind = sum(1 for a in agreements if kpi_progress(a, today).status == "behind")
    waiting = MembershipApplication.objects.filter(
        covenant=covenant, status=MembershipApplication.Status.PENDING
    ).count()
    return [
        FollowUp(_("KPIs without a measurement for more than a year"), unmeasured, manage),
        FollowUp(_("KPIs behind their path to target"), behind, manage),
        FollowUp(
            _("Applications to join waiting for a decision"),
            waiting,
            reverse("covenants:applications", args=[covenant.slug]),
        ),
    ]
