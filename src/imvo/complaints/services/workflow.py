"""The case workflow: a case moves through its states with who, when and why
recorded; messages in the case file; what the procedure gives the company."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser, managed_covenant_ids, organisation_id, signed_in
from imvo.complaints import crypto
from imvo.complaints.audit import actor_name, audit
from imvo.complaints.evidence import read_evidence
from imvo.complaints.models import (
    COMMITTEE_ONLY,
    TRANSITIONS,
    Complaint,
    Evidence,
    Message,
    State,
    Transition,
)
from imvo.complaints.services.access import CaseNotFoundError, require_handler, role_in_case
from imvo.core.errors import DomainError

# Steps whose reasons the record must hold.
REASONED = (State.ADMISSIBLE, State.INADMISSIBLE, State.DECISION, State.CLOSED)


def check_move(
    user: AnyUser,
    c: Complaint,
    to_state: str,
    reason: str = "",
    *,
    decision_text: str = "",
    remedy_agreed: bool | None = None,
    remedy_carried_out: bool | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Move a case to its next state, recording who, when and why."""
    require_handler(user, c, committee_only=to_state in COMMITTEE_ONLY)
    reason = (reason or "").strip()
    if to_state in REASONED and not reason:
        raise DomainError(_("Give the reasons for this step."))
    if to_state == State.DECISION and not (decision_text or "").strip():
        raise DomainError(_("Write the decision: what the committee decided and which remedy."))
    return do_move(
        user,
        c,
        to_state,
        reason,
        decision_text=decision_text,
        remedy_agreed=remedy_agreed,
        remedy_carried_out=remedy_carried_out,
        now=now,
    )


def do_move(
    user: AnyUser,
    c: Complaint,
    to_state: str,
    reason: str,
    *,
    decision_text: str = "",
    remedy_agreed: bool | None = None,
    remedy_carried_out: bool | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Write the step. The transition table is checked here, against the stored
    state under a row lock: two members may act at once."""
    now = now or timezone.now()
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=c.pk)
        if to_state not in TRANSITIONS.get(c.state, []):
            label = State(to_state).label if to_state in State.values else to_state
            raise DomainError(
                _("A case in state “%(from)s” cannot move to “%(to)s”.")
                % {"from": c.get_state_display(), "to": label}
            )
        from_state = c.state
        c.state = to_state
        c.state_since = now
        if to_state == State.ACKNOWLEDGED and not c.acknowledged_at:
            c.acknowledged_at = now
        if to_state in (State.ADMISSIBLE, State.INADMISSIBLE) and not c.admissibility_at:
            c.admissibility_at = now
            c.admissible = to_state == State.ADMISSIBLE
        if to_state == State.INVESTIGATION and not c.hearing_at:
            c.hearing_at = now
        if to_state == State.DECISION:
            c.decided_at = c.decided_at or now
            c.decision_enc = crypto.encrypt(decision_text.strip())
        if to_state == State.CLOSED:
            c.closed_at = now
        if remedy_agreed is not None:
            c.remedy_agreed = remedy_agreed
        if remedy_carried_out is not None:
            c.remedy_carried_out = remedy_carried_out
        c.set_due(now)
        c.save()
        Transition.objects.create(
            complaint=c,
            from_state=from_state,
            to_state=to_state,
            by=signed_in(user),
            by_name=actor_name(user),
            at=now,
            reason_enc=crypto.encrypt(reason),
        )
        audit(user, "moved", c, from_state=from_state, to_state=to_state)
    return c


def check_assign_officer(user: AnyUser, c: Complaint, officer: AnyUser) -> None:
    """A handler names the case officer, who must be of the covenant's secretariat."""
    require_handler(user, c)
    if officer is not None and c.covenant_id not in managed_covenant_ids(officer):
        raise DomainError(_("A case officer must belong to this covenant's secretariat."))
    do_assign_officer(user, c, officer)


def do_assign_officer(user: AnyUser, c: Complaint, officer: AnyUser) -> None:
    c.case_officer = signed_in(officer) if officer is not None else None
    c.save(update_fields=["case_officer"])
    audit(user, "assigned", c, officer=actor_name(officer))


def check_post_message(
    user: AnyUser, c: Complaint, body: str, to_complainant: bool = False, to_company: bool = False
) -> Message:
    """A message in the case file; the committee side chooses who else reads it.
    The company's messages go to the committee only."""
    body = (body or "").strip()
    if not body:
        raise DomainError(_("The message is empty."))
    role = role_in_case(user, c)
    if role != "company":
        role = require_handler(user, c)
    return do_post_message(user, c, role, body, to_complainant, to_company)


def do_post_message(
    user: AnyUser,
    c: Complaint,
    role: str,
    body: str,
    to_complainant: bool = False,
    to_company: bool = False,
) -> Message:
    if role == "company":
        m = Message.objects.create(
            complaint=c,
            sender=Message.Sender.COMPANY,
            author=signed_in(user),
            company_id=organisation_id(user),
            body_enc=crypto.encrypt(body),
        )
    else:
        m = Message.objects.create(
            complaint=c,
            sender=Message.Sender.COMMITTEE if role == "committee" else Message.Sender.SECRETARIAT,
            author=signed_in(user),
            body_enc=crypto.encrypt(body),
            to_complainant=to_complainant,
            to_company=to_company,
        )
    audit(user, "message", c, to_complainant=m.to_complainant, to_company=m.to_company)
    return m


def check_share_with_company(
    user: AnyUser, c: Complaint, summary: str, evidence_ids: list[int] | None = None
) -> None:
    """What the procedure gives the company: a summary written by the committee
    (without the complainant's identity unless they agreed) and chosen evidence."""
    require_handler(user, c)
    do_share_with_company(user, c, summary, evidence_ids)


def do_share_with_company(
    user: AnyUser, c: Complaint, summary: str, evidence_ids: list[int] | None = None
) -> None:
    with transaction.atomic():
        c.company_summary_enc = crypto.encrypt((summary or "").strip())
        c.save(update_fields=["company_summary_enc"])
        if evidence_ids is not None:
            c.evidence.update(shared_with_company=False)
            c.evidence.filter(pk__in=evidence_ids).update(shared_with_company=True)
        audit(user, "shared-with-company", c, evidence=len(evidence_ids or []))


def evidence_for(
    user: AnyUser, c: Complaint, role: str, evidence_id: int
) -> tuple[Evidence, bytes]:
    """One evidence file of an opened case (the company only gets what was shared)."""
    qs = c.evidence.all()
    if role == "company":
        qs = qs.filter(shared_with_company=True)
    ev = qs.filter(pk=evidence_id).first()
    if ev is None:
        raise CaseNotFoundError(_("No such file."))
    data = read_evidence(ev)
    audit(user, "evidence-read", c, evidence=ev.pk)
    return ev, data


def case_view(user: AnyUser, c: Complaint, role: str) -> dict[str, Any]:
    """The case as one role may see it."""
    data = c.confidential()
    messages = c.messages.select_related("author")
    if role == "company":
        org = organisation_id(user)
        messages = messages.filter(
            Q(to_company=True) | Q(sender=Message.Sender.COMPANY, company_id=org)
        )
        identity = ""
        if not c.anonymous and c.share_identity_with_company:
            identity = str(data.get("name", ""))
        return {
            "role": role,
            "c": c,
            "summary": c.company_summary,
            "identity": identity,
            "decision": c.decision_text if c.decided_at else "",
            "case_messages": [{"m": m, "body": m.body} for m in messages],
            "evidence": list(c.evidence.filter(shared_with_company=True)),
        }
    return {
        "role": role,
        "c": c,
        "data": data,
        "summary": c.company_summary,
        "decision": c.decision_text,
        "case_messages": [{"m": m, "body": m.body} for m in messages],
        "evidence": [{"e": e, "name": e.original_name} for e in c.evidence.all()],
        "transitions": [{"t": t, "reason": t.reason} for t in c.transitions.select_related("by")],
        "recusals": list(c.recusals.select_related("user")),
        "forwardings": list(c.forwardings.select_related("organisation")),
    }
