"""CAP progress in the covenant's KPIs, where an agreement measures it.

A covenant may agree on a KPI such as "share of CAP items fixed and verified".
The secretariat ties that agreement to one measure (`CapKpi`); from then on the
platform records the KPI's measurement itself: one measurement a day (the
latest figure of the day), whenever an item of a plan in that covenant changes,
with its source named. The value is the covenant's total (`figures.cap_figures`),
the same total the public report shows, so it names no member and no facility.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.collective.models import CapItem, CapKpi
from imvo.collective.services.figures import cap_figures
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Agreement, Covenant, KpiMeasurement


def source_label() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Joint corrective action plans on the platform (recorded automatically)")


def value_of(measure: str, covenant: Covenant) -> Decimal | None:
    total = cap_figures(covenant).total
    if measure == CapKpi.Measure.VERIFIED_SHARE:
        return None if total.percent is None else Decimal(str(total.percent))
    if measure == CapKpi.Measure.VERIFIED:
        return Decimal(total.verified)
    return Decimal(len(total.facilities))


def record(covenant: Covenant) -> list[KpiMeasurement]:
    """Today's measurement of every agreement of the covenant tied to a CAP measure."""
    today = timezone.localdate()
    recorded = []
    source = source_label()
    for tie in CapKpi.objects.filter(agreement__covenant=covenant).select_related("agreement"):
        value = value_of(tie.measure, covenant)
        if value is None:  # no items yet: a share of nothing is not a zero
            continue
        m, _created = KpiMeasurement.objects.update_or_create(
            agreement=tie.agreement, date=today, source=source, defaults={"value": value}
        )
        recorded.append(m)
    return recorded


def check_tie(user: Any, agreement: Agreement, measure: str) -> CapKpi | None:
    """The secretariat ties an agreement to a CAP measure ("" unties it) and records it now."""
    if not roles.is_secretariat(user, agreement.covenant_id):
        raise PermissionDeniedError(_("Only the covenant's secretariat ties its KPIs."))
    if not measure:
        CapKpi.objects.filter(agreement=agreement).delete()
        return None
    if measure not in CapKpi.Measure.values:
        raise DomainError(_("Choose what the KPI measures from the list."))
    with transaction.atomic():
        tie, _created = CapKpi.objects.update_or_create(
            agreement=agreement,
            defaults={
                "measure": measure,
                "tied_by": roles.recorded_as(user),
                "tied": timezone.now(),
            },
        )
        record(agreement.covenant)
    return tie


def ties_of(covenant: Covenant) -> dict[int, str]:
    return dict(
        CapKpi.objects.filter(agreement__covenant=covenant).values_list("agreement_id", "measure")
    )


def on_item_saved(sender: Any, instance: CapItem, **kwargs: Any) -> None:
    """`post_save` receiver on CAP items: refresh the covenant's tied KPIs after the commit."""
    covenant_id = (
        CapItem.objects.filter(pk=instance.pk)
        .values_list("finding__action__covenant_id", flat=True)
        .first()
    )
    if (
        covenant_id is None
        or not CapKpi.objects.filter(agreement__covenant_id=covenant_id).exists()
    ):
        return

    def refresh() -> None:
        covenant = Covenant.objects.filter(pk=covenant_id).first()
        if covenant is not None:
            record(covenant)

    transaction.on_commit(refresh, robust=True)
