"""The complainant's side: following a case with the receipt code, reading what
the committee sends, adding a message or evidence, asking for an appeal."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.complaints import crypto, limits
from imvo.complaints.audit import audit
from imvo.complaints.evidence import store_evidence, validate_files
from imvo.complaints.models import Complaint, Message, State
from imvo.complaints.receipts import hash_receipt
from imvo.complaints.services.access import CaseNotFoundError
from imvo.core.errors import DomainError


def complaint_by_receipt(code: str, client: str | None = None) -> Complaint:
    """The complaint a receipt code belongs to. Failed attempts are counted per
    client, so codes cannot be guessed in bulk."""
    if client:
        limits.check_receipt_allowed(client)
    c = Complaint.objects.filter(receipt_hash=hash_receipt(code)).first() if code else None
    if c is None:
        if client:
            limits.count_receipt_failure(client)
        raise CaseNotFoundError(
            _("No complaint has this receipt code. Check the code and try again.")
        )
    audit("complainant", "followed", c)
    return c


NEXT_STEP: dict[str, Any] = {
    State.RECEIVED: gettext_lazy("The secretariat confirms that your complaint was received."),
    State.ACKNOWLEDGED: gettext_lazy("The committee checks whether it can handle your complaint."),
    State.ADMISSIBILITY: gettext_lazy("The committee checks whether it can handle your complaint."),
    State.ADMISSIBLE: gettext_lazy("The committee will start a dialogue or a hearing."),
    State.INADMISSIBLE: gettext_lazy(
        "The committee cannot handle your complaint; the message below says why. You may appeal."
    ),
    State.MEDIATION: gettext_lazy("The parties talk, with help from a mediator."),
    State.INVESTIGATION: gettext_lazy("The committee hears the parties and looks into the facts."),
    State.DECISION: gettext_lazy("The committee has decided. The parties may appeal."),
    State.APPEAL: gettext_lazy("The appeal is being handled."),
    State.REMEDIATION: gettext_lazy("The committee follows whether the remedy is carried out."),
    State.CLOSED: gettext_lazy("The case is closed."),
}

APPEALABLE = (State.DECISION, State.INADMISSIBLE)


def complainant_view(c: Complaint) -> dict[str, Any]:
    """What the complainant sees: status, due date, the messages meant for them."""
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
        "messages": [
            {
                "from": m.sender,
                "from_label": str(m.get_sender_display()),
                "at": m.created,
                "body": m.body,
            }
            for m in c.messages.filter(
                Q(to_complainant=True) | Q(sender=Message.Sender.COMPLAINANT)
            )
        ],
        "evidence": c.evidence.filter(from_complainant=True).count(),
        "appealable": c.state in APPEALABLE,
        "personal_data_removed": c.personal_data_removed_at is not None,
    }


def check_complainant_reply(
    c: Complaint,
    body: str,
    files: list[tuple[str, bytes]] | None = None,
    appeal: bool = False,
) -> None:
    """The complainant writes to the committee, adds evidence, or asks for an appeal
    (only against a decision or an inadmissibility ruling; the committee then opens it)."""
    body = (body or "").strip()
    if appeal and c.state not in APPEALABLE:
        raise DomainError(_("An appeal can be asked only against a decision."))
    if appeal and not body:
        raise DomainError(_("Say why you appeal."))
    files = validate_files(files or [])
    if not body and not files:
        raise DomainError(_("Write a message or add a file."))
    if len(body) > 10000:
        raise DomainError(_("The message is too long (at most 10,000 characters)."))
    if c.personal_data_removed_at:
        raise DomainError(_("This case is closed and its file removed."))
    do_complainant_reply(c, body, files, appeal)


def do_complainant_reply(
    c: Complaint, body: str, files: list[tuple[str, bytes]], appeal: bool
) -> None:
    with transaction.atomic():
        if body:
            Message.objects.create(
                complaint=c,
                sender=Message.Sender.COMPLAINANT,
                body_enc=crypto.encrypt(body),
                appeal_request=appeal,
            )
        for fname, data in files:
            store_evidence(c, fname, data)
        audit("complainant", "appeal-requested" if appeal else "replied", c, files=len(files))
