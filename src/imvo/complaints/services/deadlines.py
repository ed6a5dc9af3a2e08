"""Time limits of a covenant's complaints procedure, reminders before a case
falls due, and the list of cases past their time limit."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.models import CovenantRole
from imvo.accounts.services import AnyUser, committee_covenant_ids, managed_covenant_ids
from imvo.complaints.audit import audit
from imvo.complaints.models import Complaint, ProcedureSettings, State
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.text import whole_number
from imvo.covenants.models import Covenant

logger = logging.getLogger("imvo.complaints")

LIMIT_FIELDS = [
    "acknowledge_days",
    "admissibility_days",
    "mediation_days",
    "decision_days",
    "appeal_window_days",
    "appeal_decision_days",
    "remediation_days",
    "retention_days",
]


def procedure_for(covenant: Covenant) -> ProcedureSettings:
    obj, _created = ProcedureSettings.objects.get_or_create(covenant=covenant)
    return obj


def limit_label(name: str) -> str:
    return str(getattr(ProcedureSettings._meta.get_field(name), "verbose_name", name))


def check_set_time_limits(
    user: AnyUser, covenant: Covenant, values: dict[str, Any]
) -> ProcedureSettings:
    """The covenant's secretariat sets the procedure's time limits (in days).

    New limits apply to due dates set from now on; running cases keep theirs.
    """
    if covenant.pk not in managed_covenant_ids(user):
        raise PermissionDeniedError(_("Only the covenant's secretariat sets the time limits."))
    changed: dict[str, int] = {}
    for name in LIMIT_FIELDS:
        if name not in values:
            continue
        raw = str(values[name]).strip()
        label = limit_label(name)
        days = whole_number(raw, max_digits=4)
        if days is None or not 1 <= days <= 3650:
            raise DomainError(
                _("%(field)s: give a number of days from 1 to 3650, not “%(value)s”.")
                % {"field": label, "value": raw[:20]}
            )
        changed[name] = days
    return do_set_time_limits(user, covenant, changed)


def do_set_time_limits(
    user: AnyUser, covenant: Covenant, changed: dict[str, int]
) -> ProcedureSettings:
    p = procedure_for(covenant)
    for name, days in changed.items():
        setattr(p, name, days)
    p.save()
    audit(user, "time-limits-set", None, covenant=covenant.slug, **changed)
    return p


def overdue_cases(user: AnyUser = None, today: date | None = None) -> QuerySet[Complaint]:
    """Open cases past their due date (all of them for the system, else those the user handles)."""
    today = today or timezone.localdate()
    qs = Complaint.objects.exclude(state=State.CLOSED).filter(due__lt=today)
    if user is not None:
        ids = committee_covenant_ids(user) | managed_covenant_ids(user)
        qs = qs.filter(covenant_id__in=ids)
    return qs.select_related("covenant").order_by("due")


def do_send_reminders(today: date | None = None, soon_days: int = 3) -> tuple[int, int]:
    """E-mail the committee and case officer of every case due within a few days or overdue.

    The mail names the case and the due date only, never its content.
    Returns (sent, failed); a mail server that is down fails every mail, not the run.

    Once a case a day: a case is claimed with one conditional UPDATE of
    `reminded_on` before its mail goes, so a second run the same day (`imvo jobs
    run complaints-reminders --now`, or two workers) sends nothing for it. A mail
    that could not be sent gives the claim back, so a later run that day tries again.
    """
    today = today or timezone.localdate()
    due = Complaint.objects.exclude(state=State.CLOSED).filter(
        due__lte=today + timedelta(days=soon_days)
    )
    sent = failed = 0
    for c in due.select_related("covenant", "case_officer"):
        recused = set(c.recusals.values_list("user_id", flat=True))
        # Active accounts only, as every other mail of a case (docs/security.md,
        # T63): a committee member whose account was closed kept getting each
        # case's reference, state and due date at an address nobody checks for
        # them any more.
        people = [
            r.user
            for r in CovenantRole.objects.filter(
                covenant=c.covenant, role="committee", user__is_active=True
            ).select_related("user")
            if r.user_id not in recused
        ]
        if c.case_officer and c.case_officer.is_active:
            people.append(c.case_officer)
        emails = sorted({p.email for p in people if p.email})
        if not emails:
            continue
        claimed = (
            Complaint.objects.filter(pk=c.pk).exclude(reminded_on=today).update(reminded_on=today)
        )
        if not claimed:
            continue  # reminded today already (or by a run going on now)
        late = c.due is not None and c.due < today
        subject = f"[{c.covenant.slug}] complaint {c.reference}: {'OVERDUE since' if late else 'due'} {c.due}"
        body = (
            f"Complaint {c.reference} ({c.get_state_display()}) in {c.covenant.name_en} "
            f"{'was due' if late else 'is due'} on {c.due}.\n"
            "Open the case on the platform; this mail holds no case content."
        )
        try:
            send_mail(subject, body, None, emails)
            sent += 1
            audit("system", "reminder", c, recipients=len(emails))
        except OSError as e:
            failed += 1
            Complaint.objects.filter(pk=c.pk, reminded_on=today).update(reminded_on=c.reminded_on)
            logger.warning("reminder for %s could not be sent: %s", c.reference, e)
    return sent, failed
