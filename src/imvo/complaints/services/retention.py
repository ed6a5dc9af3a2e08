"""How long a case file is kept, and how: personal data removed once the
covenant's retention period after closure has passed, and the encryption key
rotated with every stored value re-encrypted."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from imvo.complaints import crypto
from imvo.complaints.audit import audit
from imvo.complaints.evidence import evidence_dir
from imvo.complaints.models import Complaint, Evidence, State
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
            c.translations.all().delete()
            # Every other encrypted text of the case (reasons and notes of steps and
            # namings, the consent's who, after-closure comments): emptied; the rows,
            # with their dates and states, stay for the history and the figures.
            for model, names in encrypted_fields():
                if model is not Complaint:
                    model._default_manager.filter(complaint=c).update(**dict.fromkeys(names, ""))
            c.secret = ""
            c.company_summary_enc = ""
            c.decision_enc = ""
            c.settlement_enc = ""
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


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model of this app with its fields that hold Fernet tokens: those named
    ``*_enc``, and ``Complaint.secret``. Rotation and purging read this list, so a
    new encrypted field is rotated and purged without being listed anywhere (the
    fields written out by hand here before missed the settlement, the steps'
    notes, translations, consents, after-closure comments and naming reasons,
    which the old keys' removal then left unreadable)."""
    from django.apps import apps

    out = []
    for model in apps.get_app_config("complaints").get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if f.name.endswith("_enc") or (model is Complaint and f.name == "secret")
        ]
        if names:
            out.append((model, names))
    return out


def do_rotate_keys() -> int:
    """Re-encrypt every stored value and evidence file with a fresh key."""
    crypto.add_new_key()
    n = Complaint.objects.count()
    with transaction.atomic():
        for model, names in encrypted_fields():
            manager = model._default_manager
            for pk, *tokens in manager.values_list("pk", *names).iterator():
                rotated = {k: crypto.rotate_token(t) for k, t in zip(names, tokens, strict=True)}
                manager.filter(pk=pk).update(**rotated)
        for ev in Evidence.objects.all():
            for stored in ev.stored_files():
                path = evidence_dir() / stored
                if path.exists():
                    path.chmod(0o600)  # the owner's alone (evidence.py), older files too
                    path.write_bytes(crypto.fernet().rotate(path.read_bytes()))
    crypto.drop_old_keys()
    audit("system", "keys-rotated", None, complaints=n)
    return n
