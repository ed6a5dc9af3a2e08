"""The escalation path for a member that persistently falls short: dialogue,
formal notice, suspension, referral, exclusion; "resolved" ends it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser, signed_in
from imvo.core.errors import DomainError
from imvo.covenants.models import Adherence, Covenant, Decision, Organisation
from imvo.covenants.seams import change_adherence
from imvo.duediligence.models import EscalationStep, Submission
from imvo.duediligence.services.access import NotFound, require_reviewer

ESCALATION_ORDER = [
    EscalationStep.Step.DIALOGUE,
    EscalationStep.Step.FORMAL_NOTICE,
    EscalationStep.Step.SUSPENSION,
    EscalationStep.Step.REFERRAL,
    EscalationStep.Step.EXCLUSION,
]


def current_escalation(covenant: Covenant, organisation: Organisation) -> str | None:
    """The member's last step, or None when it has none or the last one was "resolved"."""
    last = (
        EscalationStep.objects.filter(covenant=covenant, organisation=organisation)
        .order_by("-date", "-id")
        .first()
    )
    if last is None or last.step == EscalationStep.Step.RESOLVED:
        return None
    return last.step


def escalations(user: AnyUser, covenant: Covenant) -> QuerySet[EscalationStep]:
    require_reviewer(user, covenant)
    return EscalationStep.objects.filter(covenant=covenant).select_related(
        "organisation", "by", "decision"
    )


def check_record_escalation(
    user: AnyUser,
    covenant: Covenant,
    organisation: Organisation,
    step: str,
    reason: str,
    on: date | None = None,
    deadline: date | None = None,
    submission: Submission | None = None,
    decision: Decision | None = None,
) -> EscalationStep:
    """Record a step on the escalation path, with its date and reason.

    A step may cite the governance decision it rests on (the steering group's
    decision to suspend or exclude); the decision must be of this covenant and
    its number goes into the adherence history the public page shows.

    Steps may be skipped (a serious breach can go straight to formal notice)
    but the path is never walked back except by "resolved". Suspension
    suspends the member's adherence, exclusion withdraws it, and "resolved"
    reinstates a suspended member; each through
    ``imvo.covenants.services.change_adherence`` so the adherence history
    shows it.
    """
    require_reviewer(user, covenant)
    if step not in EscalationStep.Step.values:
        raise DomainError(_("Unknown escalation step %(s)s.") % {"s": step})
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for this escalation step."))
    adherence = Adherence.objects.filter(covenant=covenant, organisation=organisation).first()
    if adherence is None:
        raise NotFound(_("This organisation does not take part in the covenant."))
    on = on or timezone.localdate()
    if deadline and deadline < on:
        raise DomainError(_("The deadline cannot be before the step's date."))
    if submission and (
        submission.covenant_id != covenant.pk or submission.organisation_id != organisation.pk
    ):
        raise DomainError(_("Link a submission of this member in this covenant."))
    if decision is not None and decision.covenant_id != covenant.pk:
        raise DomainError(_("Cite a decision of this covenant's governance."))
    current = current_escalation(covenant, organisation)
    if current == EscalationStep.Step.EXCLUSION:
        raise DomainError(_("This member has been excluded; no further step is possible."))
    if (
        step != EscalationStep.Step.RESOLVED
        and current in ESCALATION_ORDER
        and ESCALATION_ORDER.index(step) < ESCALATION_ORDER.index(current)  # type: ignore[arg-type]
    ):
        raise DomainError(
            _("The member is already at %(current)s; record a later step or mark it resolved.")
            % {"current": EscalationStep.Step(current).label}
        )
    return do_record_escalation(user, adherence, step, reason, on, deadline, submission, decision)


@transaction.atomic
def do_record_escalation(
    user: AnyUser,
    adherence: Adherence,
    step: str,
    reason: str,
    on: date,
    deadline: date | None = None,
    submission: Submission | None = None,
    decision: Decision | None = None,
) -> EscalationStep:
    """Write the step and change the member's adherence where the step says so."""
    # The adherence history (shown on the public page) names the decision cited.
    cited = reason
    if decision is not None:
        cited = _("%(reason)s (decision %(number)s, %(body)s)") % {
            "reason": reason.strip(),
            "number": decision.number,
            "body": decision.body.name,
        }
    record = EscalationStep.objects.create(
        covenant_id=adherence.covenant_id,
        organisation_id=adherence.organisation_id,
        step=step,
        date=on,
        reason=reason.strip(),
        deadline=deadline,
        submission=submission,
        decision=decision,
        by=signed_in(user),
    )
    if step == EscalationStep.Step.SUSPENSION:
        change_adherence(user, adherence, Adherence.Status.SUSPENDED, on=on, reason=cited)
    elif step == EscalationStep.Step.EXCLUSION:
        change_adherence(user, adherence, Adherence.Status.WITHDRAWN, on=on, reason=cited)
    elif step == EscalationStep.Step.RESOLVED and adherence.status == Adherence.Status.SUSPENDED:
        change_adherence(user, adherence, Adherence.Status.ACTIVE, on=on, reason=reason)
    return record
