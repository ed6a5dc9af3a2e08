"""The complainant's side: following a case with the receipt code, reading what
the committee sends, adding a message or evidence, asking for an appeal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.complaints import crypto, limits
from imvo.complaints.audit import audit
from imvo.complaints.evidence import check_file_count, read_evidence, store_evidence
from imvo.complaints.models import (
    ClosureGround,
    Complaint,
    Evidence,
    Message,
    State,
    to_the_hour,
)
from imvo.complaints.receipts import (
    RECEIPT_CHARS,
    hash_receipt,
    looks_like_receipt,
    normalise_receipt,
)
from imvo.complaints.services.access import CaseNotFoundError
from imvo.complaints.services.respondents import complainant_steps
from imvo.core.errors import DomainError


def _not_found(typed: str) -> str:
    """Why no case opened: nothing typed, a code of another shape (a group left out, a
    letter no code has: a slip to correct), or a well-formed code of no case."""
    if not typed:
        return _("Type the receipt code you got when you sent your complaint.")
    if len(typed) != RECEIPT_CHARS:
        return _(
            "A receipt code has 20 letters and digits, in five groups of four, like"
            " ABCD-1234-EFGH-5678-JKMN. Letters and digits you typed: %(n)d."
        ) % {"n": len(typed)}
    if not looks_like_receipt(typed):
        return _("A receipt code has only the digits 0-9 and the letters A-Z, without U.")
    return _("No complaint has this receipt code. Check the code and try again.")


def complaint_by_receipt(code: str, client: str | None = None) -> Complaint:
    """The complaint a receipt code belongs to. Wrong codes are counted per
    client, so codes cannot be guessed in bulk (100 random bits besides); a right
    code always opens its case, even from an address that guessed too often."""
    c = (
        Complaint.objects.filter(receipt_hash=hash_receipt(code)).first()
        if looks_like_receipt(code)
        else None
    )
    if c is None:
        if client:
            limits.count_receipt_failure(client)
        raise CaseNotFoundError(_not_found(normalise_receipt(code)))
    audit("complainant", "followed", c)
    return c


NEXT_STEP: dict[str, Any] = {
    State.RECEIVED: gettext_lazy("The secretariat confirms that your complaint was received."),
    State.ACKNOWLEDGED: gettext_lazy("The committee checks whether it can handle your complaint."),
    State.ADMISSIBILITY: gettext_lazy("The committee checks whether it can handle your complaint."),
    State.ADMISSIBLE: gettext_lazy("The committee will start a dialogue or a hearing."),
    State.INADMISSIBLE: gettext_lazy(
        "The committee cannot handle your complaint; its reasons are below. You may appeal."
    ),
    State.MEDIATION: gettext_lazy("The parties talk, with help from a mediator."),
    State.INVESTIGATION: gettext_lazy("The committee hears the parties and looks into the facts."),
    State.DECISION: gettext_lazy("The committee has decided. The parties may appeal."),
    State.APPEAL: gettext_lazy("The appeal is being handled."),
    State.REMEDIATION: gettext_lazy("The committee follows whether the remedy is carried out."),
    State.CLOSED: gettext_lazy("The case is closed; the ground and the reasons are below."),
}

APPEALABLE = (State.DECISION, State.INADMISSIBLE)


def complainant_view(c: Complaint) -> dict[str, Any]:
    """What the complainant sees: status, the next step and its date, every step
    taken with its ground and the reasons the committee wrote for them, and the
    messages meant for them. Dates only (no times): see docs/complaints.md."""
    data = c.confidential()
    return {
        "reference": c.reference,
        "covenant": c.covenant.name,
        "state": c.state,
        "state_label": str(c.get_state_display()),
        "next_step": str(NEXT_STEP.get(c.state, "")),
        "filed": timezone.localtime(c.filed_at).date(),
        "due": c.due,
        "description": data.get("description", ""),
        "decision": c.decision_text
        if c.state in (State.DECISION, State.APPEAL, State.REMEDIATION, State.CLOSED)
        else "",
        "closure_ground": (str(ClosureGround(c.closure_ground).label) if c.closure_ground else ""),
        "steps": _steps(c),
        "settlement": c.settlement_terms if c.state in (State.REMEDIATION, State.CLOSED) else "",
        "messages": [
            {
                "from": m.sender,
                "from_label": str(m.get_sender_display()),
                "at": timezone.localtime(m.created).date(),
                "body": m.body,
                "withdrawal": m.withdrawal,
            }
            for m in c.messages.filter(
                Q(to_complainant=True) | Q(sender=Message.Sender.COMPLAINANT)
            )
        ],
        "evidence": len(files := own_files(c)),
        "files": files,
        "appealable": c.state in APPEALABLE
        and not c.transitions.filter(to_state=State.APPEAL).exists(),
        "withdrawable": c.state != State.CLOSED,
        "personal_data_removed": c.personal_data_removed_at is not None,
        "after_closure": _after_closure_question(c),
    }


def _own_evidence(c: Complaint) -> QuerySet[Evidence]:
    """What the complainant (or the union or NGO filing for them) sent: never a
    file the company or the committee added."""
    return c.evidence.filter(from_complainant=True, company__isnull=True)


def own_files(c: Complaint) -> list[dict[str, Any]]:
    """The complainant's own files for the follow page: their number in this
    list (1, 2, ...: never the database id, which counts every file sent to the
    platform, so a complainant filing now and then read how many came in
    between; docs/security.md, O4), name, size as sent, the day (their times are
    kept to the hour only), and whether a copy can be shown: the safe copy
    (metadata removed), never the original, so a receipt code in the wrong hands
    gives no photo's location. A file of which no safe copy could be made stays
    with the committee and is listed without a download."""
    return [
        {
            "id": number,
            "name": e.original_name,
            "size": e.original_size,
            "on": timezone.localtime(e.created).date(),
            "downloadable": bool(e.safe_name),
        }
        for number, e in enumerate(_own_evidence(c).order_by("pk"), start=1)
    ]


def complainant_file(c: Complaint, number: int) -> tuple[Evidence, bytes]:
    """The safe copy of the complainant's own file `number` (as `own_files`
    numbers them) of this case, the case the receipt code opened."""
    found = list(_own_evidence(c).order_by("pk")[number - 1 : number]) if number > 0 else []
    ev = found[0] if found else None
    if ev is None or not ev.safe_name:
        raise CaseNotFoundError(_("No such file."))
    data = read_evidence(ev)
    audit("complainant", "own-file-read", c, file=ev.pk)
    return ev, data


def _steps(c: Complaint) -> list[dict[str, Any]]:
    """Every step taken, with its ground and reasons; and the day the company
    concerned was identified, without naming it (services/respondents.py)."""
    steps = [
        {
            "on": timezone.localtime(t.at).date(),
            "state": t.to_state,
            "state_label": str(State(t.to_state).label),
            "ground": t.ground,
            "ground_label": t.ground_label,
            "reason": t.reason,
        }
        for t in c.transitions.all()
    ]
    # Stable: on one day, the steps of that day come first.
    return sorted(steps + complainant_steps(c), key=lambda s: s["on"])


def _after_closure_question(c: Complaint) -> dict[str, Any] | None:
    """The 3- or 6-month question waiting on the follow page (aftercare.py)."""
    from imvo.complaints.services.aftercare import open_check

    chk = open_check(c) if c.state == State.CLOSED else None
    if chk is None:
        return None
    return {"months": chk.months, "ask_remedy": c.remedy_agreed}


def check_complainant_reply(
    c: Complaint,
    body: str,
    files: list[tuple[str, bytes]] | None = None,
    appeal: bool = False,
    withdraw: bool = False,
) -> list[str]:
    """The complainant writes to the committee, adds evidence, asks for an appeal
    (only against a decision or an inadmissibility ruling; the committee then opens it)
    or withdraws the complaint (the committee then closes it on that ground)."""
    body = (body or "").strip()
    if appeal and c.state not in APPEALABLE:
        raise DomainError(_("An appeal can be asked only against a decision."))
    if appeal and not body:
        raise DomainError(_("Say why you appeal."))
    if withdraw and c.state == State.CLOSED:
        raise DomainError(_("This case is closed already."))
    if withdraw and not body:
        raise DomainError(_("Say in a few words why you withdraw (this helps others)."))
    files = check_file_count(files or [])
    if not body and not files:
        raise DomainError(_("Write a message or add a file."))
    if len(body) > 10000:
        raise DomainError(_("The message is too long (at most 10,000 characters)."))
    if c.personal_data_removed_at:
        raise DomainError(_("This case is closed and its file removed."))
    return do_complainant_reply(c, body, files, appeal, withdraw)


def do_complainant_reply(
    c: Complaint,
    body: str,
    files: list[tuple[str, bytes]],
    appeal: bool,
    withdraw: bool = False,
) -> list[str]:
    """Save the message, then each file; returns the refusals of files that got
    no safe copy (in the complainant's language)."""
    with transaction.atomic():
        if body:
            Message.objects.create(
                complaint=c,
                created=to_the_hour(),
                sender=Message.Sender.COMPLAINANT,
                body_enc=crypto.encrypt(body),
                appeal_request=appeal,
                withdrawal=withdraw,
            )
        action = "withdrawn" if withdraw else "appeal-requested" if appeal else "replied"
        audit("complainant", action, c, files=len(files))
    refused = [r for r in (store_evidence(c, n, d).refusal for n, d in files) if r]
    if refused:
        audit("complainant", "evidence-refused", c, files=len(refused))
    return refused
