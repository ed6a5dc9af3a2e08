"""The case workflow: a case moves through its states with who, when and why
recorded; messages in the case file; what the procedure gives the company."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser, managed_covenant_ids, organisation_id, signed_in
from imvo.complaints import crypto
from imvo.complaints.audit import actor_name, audit
from imvo.complaints.evidence import read_evidence, refusal_message
from imvo.complaints.models import (
    CLOSURE_FROM,
    COMMITTEE_ONLY,
    COMPANY_STATES,
    NEEDS_OFFICER,
    NO_CONTACT_ATTEMPTS,
    NO_CONTACT_DAYS,
    TRANSITIONS,
    ClosureGround,
    Complaint,
    Evidence,
    InadmissibleGround,
    Message,
    State,
    Transition,
)
from imvo.complaints.services.access import (
    CaseNotFoundError,
    answer_files_for,
    named_by_complainant,
    require_handler,
    require_reason,
    role_in_case,
)
from imvo.complaints.services.committee import require_quorum
from imvo.complaints.services.respondents import tell_respondents
from imvo.core.errors import DomainError


@dataclass(frozen=True)
class StepRecord:
    """What a step records besides its reasons: the ground (of inadmissibility or
    closure), a note for the committee only, the decision, the terms settled in
    mediation, and whether a remedy was agreed and carried out (None: unchanged)."""

    ground: str = ""
    note: str = ""
    decision_text: str = ""
    settlement_terms: str = ""
    remedy_agreed: bool | None = None
    remedy_carried_out: bool | None = None


def check_move(
    user: AnyUser,
    c: Complaint,
    to_state: str,
    reason: str = "",
    record: StepRecord = StepRecord(),
    *,
    now: datetime | None = None,
) -> Complaint:
    """Move a case to its next state, recording who, when, on which ground and why.

    Every step needs reasons written for the complainant (they read them on
    their follow page, as written: write them in the complainant's language).
    Ruling a complaint inadmissible needs an inadmissibility ground, closing a
    case a closure ground and the record that ground requires (`closure_refusal`).
    """
    committee_only = (
        to_state in COMMITTEE_ONLY
        or c.state == State.APPEAL
        or (
            to_state == State.CLOSED
            and record.ground in (ClosureGround.DECIDED, ClosureGround.INADMISSIBLE)
        )
    )
    require_handler(user, c, committee_only=committee_only)
    if committee_only:
        require_quorum(c)
    reason = require_reason(
        reason,
        _(
            "Write the reasons for the complainant: what happens and why"
            " (at least %(n)d characters). They read it on their follow page."
        ),
    )
    if to_state == State.DECISION and not (record.decision_text or "").strip():
        raise DomainError(_("Write the decision: what the committee decided and which remedy."))
    return do_move(user, c, to_state, reason, record, now=now)


def _first_deciders(c: Complaint) -> set[int]:
    """Members who took the decision or inadmissibility ruling an appeal is against."""
    return set(
        c.transitions.filter(
            to_state__in=(State.DECISION, State.INADMISSIBLE), by__isnull=False
        ).values_list("by_id", flat=True)
    )


def step_refusal(
    c: Complaint, user: AnyUser, to_state: str, record: StepRecord, *, now: datetime
) -> str:
    """Why this step may not be taken now ('' when it may). Checked against the
    stored case under its row lock (`do_move`)."""
    ground = record.ground
    if to_state not in TRANSITIONS.get(c.state, []):
        label = State(to_state).label if to_state in State.values else to_state
        return _("A case in state “%(from)s” cannot move to “%(to)s”.") % {
            "from": c.get_state_display(),
            "to": label,
        }
    if to_state in NEEDS_OFFICER and c.case_officer_id is None:
        return _("Name a case officer before the admissibility review.")
    if to_state == State.INADMISSIBLE and ground not in InadmissibleGround.values:
        return _("Choose the ground on which the complaint is inadmissible.")
    if to_state == State.APPEAL and c.transitions.filter(to_state=State.APPEAL).exists():
        return _("This case was appealed already; an appeal decision is final.")
    if c.state == State.APPEAL:
        if getattr(user, "pk", None) in _first_deciders(c):
            return _(
                "An appeal is decided by committee members who took no part in the first"
                " decision. Ask another member or a substitute to decide it."
            )
        if to_state == State.ADMISSIBLE and c.admissible is not False:
            return _("Only an appeal against an inadmissibility ruling can admit the case.")
        if to_state == State.DECISION and not c.decided_at:
            return _("Only an appeal against a decision ends in a new decision.")
    settled = bool((record.settlement_terms or "").strip() or c.settlement_enc)
    if to_state == State.REMEDIATION and c.state == State.MEDIATION and not settled:
        return _("Record the terms the parties agreed in mediation.")
    if to_state == State.CLOSED:
        return closure_refusal(
            c,
            ground,
            settlement_terms=record.settlement_terms,
            remedy_carried_out=record.remedy_carried_out,
            now=now,
        )
    return ""


def _appeal_window_open(c: Complaint, now: datetime) -> date | None:
    """The last day of the appeal window, while it is open (None once it closed
    or once an appeal was decided: an appeal decision is final)."""
    if c.transitions.filter(from_state=State.APPEAL).exists():
        return None
    ends = timezone.localtime(c.state_since).date() + timedelta(
        days=c.procedure().appeal_window_days
    )
    return ends if timezone.localtime(now).date() <= ends else None


def closure_refusal(
    c: Complaint,
    ground: str,
    *,
    settlement_terms: str = "",
    remedy_carried_out: bool | None = None,
    now: datetime,
) -> str:
    """Why the case may not close on `ground` now ('' when it may): each ground
    needs its record, so no case closes hollow."""
    if ground not in ClosureGround.values:
        return _("Choose the ground on which the case closes.")
    if c.state not in CLOSURE_FROM[ground]:
        return _("A case in state “%(state)s” cannot close on the ground “%(ground)s”.") % {
            "state": c.get_state_display(),
            "ground": ClosureGround(ground).label,
        }
    carried_out = c.remedy_carried_out if remedy_carried_out is None else remedy_carried_out
    if c.state == State.REMEDIATION and carried_out is None:
        return _("Record whether the remedy was carried out before closing.")
    if ground == ClosureGround.DECIDED:
        if not (c.decided_at and c.decision_enc):
            return _("There is no decision on record.")
        if c.state == State.DECISION:
            if c.remedy_agreed:
                return _("The decision orders a remedy: follow it up (remediation) before closing.")
            ends = _appeal_window_open(c, now)
            if ends:
                return _("The appeal window is open until %(date)s.") % {"date": date_format(ends)}
    elif ground == ClosureGround.SETTLED:
        if not ((settlement_terms or "").strip() or c.settlement_enc):
            return _("Record the terms the parties agreed in mediation.")
    elif ground == ClosureGround.WITHDRAWN:
        if not c.messages.filter(sender=Message.Sender.COMPLAINANT, withdrawal=True).exists():
            return _("Only the complainant can withdraw a complaint; no withdrawal was received.")
    elif ground == ClosureGround.INADMISSIBLE:
        if c.admissible is not False:
            return _("The complaint was not ruled inadmissible.")
        if c.state == State.INADMISSIBLE:
            ends = _appeal_window_open(c, now)
            if ends:
                return _("The appeal window is open until %(date)s.") % {"date": date_format(ends)}
    elif ground == ClosureGround.NO_CONTACT:
        # By id, not time: the complainant's messages are stored to the hour only.
        last_heard = (
            c.messages.filter(sender=Message.Sender.COMPLAINANT)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        attempts = c.messages.filter(to_complainant=True)
        if last_heard:
            attempts = attempts.filter(pk__gt=last_heard)
        first = attempts.order_by("created").values_list("created", flat=True).first()
        if (
            attempts.count() < NO_CONTACT_ATTEMPTS
            or first is None
            or (now - first < timedelta(days=NO_CONTACT_DAYS))
        ):
            return _(
                "Closing for lack of contact needs %(n)d unanswered messages to the"
                " complainant over at least %(days)d days."
            ) % {"n": NO_CONTACT_ATTEMPTS, "days": NO_CONTACT_DAYS}
    return ""


def do_move(
    user: AnyUser,
    c: Complaint,
    to_state: str,
    reason: str,
    record: StepRecord,
    *,
    now: datetime | None = None,
) -> Complaint:
    """Write the step. The transition table, the ground and its record are
    checked here, against the stored case under a row lock: two members may act
    at once."""
    now = now or timezone.now()
    ground, settlement_terms = record.ground, record.settlement_terms
    with transaction.atomic():
        c = Complaint.objects.select_for_update().get(pk=c.pk)
        refusal = step_refusal(c, user, to_state, record, now=now)
        if refusal:
            raise DomainError(refusal)
        from_state = c.state
        c.state = to_state
        c.state_since = now
        if to_state == State.ACKNOWLEDGED and not c.acknowledged_at:
            c.acknowledged_at = now
        if to_state in (State.ADMISSIBLE, State.INADMISSIBLE) and (
            not c.admissibility_at or from_state == State.APPEAL
        ):
            c.admissibility_at = c.admissibility_at or now
            c.admissible = to_state == State.ADMISSIBLE
        if to_state == State.INVESTIGATION and not c.hearing_at:
            c.hearing_at = now
        if to_state == State.DECISION:
            c.decided_at = c.decided_at or now
            c.decision_enc = crypto.encrypt(record.decision_text.strip())
        if (settlement_terms or "").strip():
            c.settlement_enc = crypto.encrypt(settlement_terms.strip())
            c.remedy_agreed = True
        if to_state == State.CLOSED:
            c.closed_at = now
            c.closure_ground = ground
        if record.remedy_agreed is not None:
            c.remedy_agreed = record.remedy_agreed
        if record.remedy_carried_out is not None:
            c.remedy_carried_out = record.remedy_carried_out
        c.set_due(now)
        c.save()
        Transition.objects.create(
            complaint=c,
            from_state=from_state,
            to_state=to_state,
            by=signed_in(user),
            by_name=actor_name(user),
            at=now,
            ground=ground if to_state in (State.INADMISSIBLE, State.CLOSED) else "",
            reason_enc=crypto.encrypt(reason),
            note_enc=crypto.encrypt(record.note.strip()) if record.note.strip() else "",
        )
        audit(user, "moved", c, from_state=from_state, to_state=to_state, ground=ground)
    if to_state in COMPANY_STATES:
        # Every respondent member is told once it may see the case.
        tell_respondents(c)
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
            # Only a safe copy can leave the committee: a refused file is never shared.
            # The company's own answer files are not the complainant's evidence.
            theirs = c.evidence.filter(company__isnull=True)
            theirs.update(shared_with_company=False)
            theirs.filter(pk__in=evidence_ids).exclude(safe_name="").update(
                shared_with_company=True
            )
        audit(user, "shared-with-company", c, evidence=len(evidence_ids or []))


def evidence_for(
    user: AnyUser, c: Complaint, role: str, evidence_id: int, original: bool = False
) -> tuple[Evidence, bytes]:
    """One evidence file of an opened case, for the committee side: its safe copy,
    or the original as received (`original=True`), audited as such. The company
    gets the safe copies the committee shared by their number (`shared_file_for`)."""
    if role not in ("committee", "secretariat"):
        # A company: by number only; a translator, a filer: text only.
        raise CaseNotFoundError(_("No such file."))
    qs = c.evidence.filter(company__isnull=True)  # answer files: services/answers.py
    ev = qs.filter(pk=evidence_id).first()
    if ev is None or not (original or ev.safe_name):
        raise CaseNotFoundError(_("No such file."))
    data = read_evidence(ev, original=original)
    audit(user, "evidence-original-read" if original else "evidence-read", c, evidence=ev.pk)
    return ev, data


def shared_evidence(c: Complaint) -> QuerySet[Evidence]:
    """The safe copies of the complainant's files the committee shared with the
    company, in the order the company numbers them (File 1, File 2...)."""
    return (
        c.evidence.filter(company__isnull=True, shared_with_company=True)
        .exclude(safe_name="")
        .order_by("created", "id")
    )


def shared_file_for(user: AnyUser, c: Complaint, role: str, number: int) -> tuple[Evidence, bytes]:
    """The company's `number`-th shared file (from 1). The company addresses these
    files by their number in its list, never by their id: ids count every
    evidence file of the platform, so with clock marks of its own (a file attached
    to its answer, a complaint it files itself, each with an id at a time it
    knows) a company read from a shared file's id when the complainant sent it,
    which the complainant's times, kept to the hour, are there to hide
    (docs/security.md, T31)."""
    if role != "company" or number < 1:
        raise CaseNotFoundError(_("No such file."))
    ev = shared_evidence(c)[number - 1 : number].first()
    if ev is None:
        raise CaseNotFoundError(_("No such file."))
    data = read_evidence(ev)
    audit(user, "evidence-read", c, evidence=ev.pk)
    return ev, data


def numbered_answer_files(user: AnyUser, c: Complaint, role: str) -> list[dict[str, Any]]:
    """The answer files `role` sees, each with its number in that list (its address)."""
    return [
        {"e": e, "name": e.original_name, "number": n}
        for n, e in enumerate(answer_files_for(user, c, role), start=1)
    ]


def case_view(user: AnyUser, c: Complaint, role: str) -> dict[str, Any]:
    """The case as one role may see it."""
    from imvo.complaints.services import on_behalf, translation

    if role == "filer":
        return on_behalf.filer_view(user, c)
    if role == "translator":
        # What the complainant wrote and the messages; never who they are, the
        # evidence or the case's steps.
        grant = c.translators.filter(user_id=getattr(user, "pk", 0) or 0).first()
        language = grant.language if grant else ""
        return {
            "role": role,
            "c": c,
            "language": language,
            "language_name": translation.language_name(language),
            "items": translation.translation_items(c, language),
        }
    data = c.confidential()
    translated = translation.translations_by_text(c)
    messages = c.messages.select_related("author")
    if role == "company":
        org = organisation_id(user)
        messages = messages.filter(
            Q(to_company=True) | Q(sender=Message.Sender.COMPANY, company_id=org)
        )
        # The complainant agreed that "the company" may know their name: the
        # member they named themselves, not one the committee named later nor a
        # buyer of the location the case was forwarded to (they chose neither).
        identity = ""
        if not c.anonymous and c.share_identity_with_company and org == named_by_complainant(c):
            identity = str(data.get("name", ""))
        return {
            "role": role,
            "c": c,
            "summary": c.company_summary,
            "identity": identity,
            "decision": c.decision_text if c.decided_at else "",
            "case_messages": [{"m": m, "body": m.body} for m in messages],
            "evidence": list(shared_evidence(c)),
            "answer_files": numbered_answer_files(user, c, role),
        }
    return {
        "role": role,
        "c": c,
        "data": data,
        "summary": c.company_summary,
        "decision": c.decision_text,
        "case_messages": [
            {"m": m, "body": m.body, "translations": translated.get(m.pk, [])} for m in messages
        ],
        "description_translations": translated.get(None, []),
        "evidence": [
            {
                "e": e,
                "name": e.original_name,
                "refusal": refusal_message(e.refusal, e.original_name, e.original_size)
                if e.refusal
                else "",
            }
            for e in c.evidence.filter(company__isnull=True)
        ],
        "answer_files": numbered_answer_files(user, c, role),
        "transitions": [
            {"t": t, "reason": t.reason, "note": t.note} for t in c.transitions.select_related("by")
        ],
        "settlement": c.settlement_terms,
        "recusals": list(c.recusals.select_related("user")),
        "translators": list(c.translators.select_related("user")),
        "consent": getattr(c, "consent", None),
        "forwardings": list(c.forwardings.select_related("organisation")),
    }
