"""The complaint audit trail: an append-only, hash-chained log of every access
and step. Each entry's hash covers the one before it, so an edited, removed or
inserted line breaks the chain (`verify_audit`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from imvo.accounts.services import AnyUser
from imvo.complaints.models import AuditEntry, Complaint, to_the_hour
from imvo.core.errors import DomainError

GENESIS = "0" * 64


def entry_hash(prev: str, seq: int, at: str, actor: str, action: str, ref: Any, detail: str) -> str:
    payload = json.dumps([seq, at, actor, action, ref, detail], ensure_ascii=False)
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


def actor_name(user: AnyUser | str) -> str:
    if user is None:
        return "system"
    if isinstance(user, str):
        return user
    return user.get_username() if user.is_authenticated else "anonymous"


def audit(
    actor: AnyUser | str, action: str, complaint: Complaint | None = None, **detail: Any
) -> AuditEntry:
    """Append one entry to the audit trail (retries when another writer won the race)."""
    name = actor_name(actor)
    text = json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str) if detail else ""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = AuditEntry.objects.order_by("-seq").first()
                seq = (last.seq + 1) if last else 1
                prev = last.hash if last else GENESIS
                # The complainant's own actions to the hour (models.to_the_hour).
                at = to_the_hour() if name == "complainant" else timezone.now()
                ref = complaint.pk if complaint else None
                entry = AuditEntry(
                    seq=seq,
                    at=at,
                    actor=name,
                    action=action,
                    complaint_id_ref=ref,
                    detail=text,
                    prev_hash=prev,
                    hash=entry_hash(prev, seq, at.isoformat(), name, action, ref, text),
                )
                entry.save()
                return entry
        except IntegrityError:
            continue
    raise DomainError("The audit trail is busy; please try again.")


@dataclass
class AuditReport:
    ok: bool
    entries: int
    head: str
    problems: list[str] = field(default_factory=list)


def verify_audit() -> AuditReport:
    """Recompute the chain. Any edited, removed or inserted line breaks it.

    Record the printed head hash outside the platform now and then: a chain
    that still ends in it has not been rewritten since.
    """
    prev = GENESIS
    expected_seq = 1
    problems: list[str] = []
    n = 0
    for e in AuditEntry.objects.order_by("seq").iterator():
        n += 1
        if e.seq != expected_seq:
            problems.append(f"entry {e.seq}: expected entry {expected_seq} (lines missing)")
        if e.prev_hash != prev:
            problems.append(f"entry {e.seq}: does not follow the entry before it")
        h = entry_hash(
            e.prev_hash, e.seq, e.at.isoformat(), e.actor, e.action, e.complaint_id_ref, e.detail
        )
        if h != e.hash:
            problems.append(f"entry {e.seq}: content changed after it was written")
        prev = e.hash
        expected_seq = e.seq + 1
    return AuditReport(ok=not problems, entries=n, head=prev, problems=problems)
