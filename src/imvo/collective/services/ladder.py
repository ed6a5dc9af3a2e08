"""The notice-and-warning ladder for a facility that does not cooperate.

As in the Accords: a notice, a warning, a final warning, each in turn; only after
the final warning may the members end the relationship, and then by a
responsible-exit plan that records how the workers are protected (wages and
severance owed, orders phased out over at least `EXIT_MIN_DAYS`, the union
consulted), not by cutting and running.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.collective.models import ExitPlan, JointAction, Notice
from imvo.collective.services import access
from imvo.core.errors import DomainError

EXIT_MIN_DAYS = 90


def next_level(action: JointAction, notices: list[Notice] | None = None) -> int | None:
    """The next rung of the ladder (`notices`: the action's notices, when read already)."""
    if notices is None:
        done = set(action.notices.values_list("level", flat=True))
    else:
        done = {n.level for n in notices}
    for level in Notice.Level.values:
        if level not in done:
            return int(level)
    return None


def check_send_notice(user: Any, action: JointAction, text: str) -> Notice:
    access.require_work(user, action)
    access.require_open(action)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Say what the facility failed to do and what it must do by when."))
    level = next_level(action)
    if level is None:
        raise DomainError(_("The final warning has been given; what remains is the exit plan."))
    return Notice.objects.create(
        action=action, level=level, text=text, by=user if getattr(user, "pk", None) else None
    )


def check_exit(
    user: Any,
    action: JointAction,
    worker_protection: str,
    wages_and_severance: str,
    phase_out_until: date | None,
    union_consulted: bool,
    today: date | None = None,
) -> ExitPlan:
    access.require_work(user, action)
    access.require_open(action)
    if next_level(action) is not None:
        raise DomainError(
            _("A responsible exit comes only after a notice, a warning and a final warning.")
        )
    if not (worker_protection or "").strip():
        raise DomainError(
            _("Record how the workers are protected: that is what makes it responsible.")
        )
    if not (wages_and_severance or "").strip():
        raise DomainError(_("Record the wages and severance owed and who pays them."))
    today = today or timezone.localdate()
    if phase_out_until is None or phase_out_until < today + timedelta(days=EXIT_MIN_DAYS):
        raise DomainError(
            _("Phase orders out over at least %(n)d days, so the workers are not cut off.")
            % {"n": EXIT_MIN_DAYS}
        )
    with transaction.atomic():
        plan = ExitPlan.objects.create(
            action=action, worker_protection=worker_protection.strip(),
            wages_and_severance=wages_and_severance.strip(), phase_out_until=phase_out_until,
            union_consulted=union_consulted, by=user if getattr(user, "pk", None) else None,
        )  # fmt: skip
        action.status = JointAction.Status.EXITED
        action.save(update_fields=["status"])
    return plan
