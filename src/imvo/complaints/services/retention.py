"""How long a case file is kept, and how: personal data removed once the
covenant's retention period after closure has passed, and the encryption key
rotated with every stored value re-encrypted."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from imvo.complaints import crypto
from imvo.complaints.audit import audit
from imvo.complaints.evidence import evidence_dir
from imvo.complaints.models import Complaint, Evidence, Message, State, Transition
from imvo.complaints.services.deadlines import procedure_for


def do_purge_personal_data(now: datetime | None = None) -> int:
    """Remove the personal data of cases closed longer ago than the covenant keeps it.

    What stays: the state history (without reasons), dates, themes, the
    anonymised publication and the figures. Evidence files are deleted.
    """
    now = now or timezone.now()
    n = 0
    for c in Complaint.objects.filter(
        state=State.CLOSED, personal_data_removed_at=None, closed_at__isnull=False
    ):
        days = procedure_for(c.covenant).retention_days
        if c.closed_at and c.closed_at + timedelta(days=days) > now:
            continue
        with transaction.atomic():
            for ev in c.evidence.all():
                for stored in ev.stored_files():
                    (evidence_dir() / stored).unlink(missing_ok=True)
            c.evidence.all().delete()
            c.messages.all().delete()
            c.transitions.update(reason_enc="")
            c.secret = ""
            c.company_summary_enc = ""
            c.decision_enc = ""
            c.anonymous = True
            c.share_identity_with_company = False
            c.personal_data_removed_at = now
            c.save()
            audit("system", "personal-data-removed", c)
        n += 1
    return n


EXPIRED_RECEIPT_PREFIX = "expired:"


def receipt_days_after_closure() -> int:
    """How long a receipt code keeps working after its case is closed: long enough
    to read the decision and follow the remedy, not for ever (a code found years
    later on a scrap of paper should not open a case file)."""
    return int(settings.IMVO_RECEIPT_DAYS_AFTER_CLOSURE)


def do_expire_receipts(now: datetime | None = None) -> int:
    """Make the receipt codes of cases closed longer than the receipt period ago
    (or whose personal data were removed) stop working.

    Only the code's hash is stored, so expiring it means replacing the hash by an
    unguessable value no code hashes to; the case itself is kept as before.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=receipt_days_after_closure())
    due = (
        Complaint.objects.filter(state=State.CLOSED)
        .exclude(receipt_hash__startswith=EXPIRED_RECEIPT_PREFIX)
        .filter(Q(closed_at__lte=cutoff) | Q(personal_data_removed_at__isnull=False))
    )
    n = 0
    for c in due:
        c.receipt_hash = EXPIRED_RECEIPT_PREFIX + secrets.token_hex(24)
        c.save(update_fields=["receipt_hash"])
        audit("system", "receipt-expired", c)
        n += 1
    return n


def do_rotate_keys() -> int:
    """Re-encrypt every stored value and evidence file with a fresh key."""
    crypto.add_new_key()
    n = 0
    with transaction.atomic():
        for c in Complaint.objects.all():
            c.secret = crypto.rotate_token(c.secret)
            c.company_summary_enc = crypto.rotate_token(c.company_summary_enc)
            c.decision_enc = crypto.rotate_token(c.decision_enc)
            c.save(update_fields=["secret", "company_summary_enc", "decision_enc"])
            n += 1
        for t in Transition.objects.exclude(reason_enc=""):
            t.reason_enc = crypto.rotate_token(t.reason_enc)
            t.save(update_fields=["reason_enc"])
        for m in Message.objects.all():
            m.body_enc = crypto.rotate_token(m.body_enc)
            m.save(update_fields=["body_enc"])
        for ev in Evidence.objects.all():
            ev.name_enc = crypto.rotate_token(ev.name_enc)
            ev.save(update_fields=["name_enc"])
            for stored in ev.stored_files():
                path = evidence_dir() / stored
                if path.exists():
                    path.write_bytes(crypto.fernet().rotate(path.read_bytes()))
    crypto.drop_old_keys()
    audit("system", "keys-rotated", None, complaints=n)
    return n
