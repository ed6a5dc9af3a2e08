"""Exports as filed, kept for the legal retention period, and their purge.

The first time an export is made from a version it is stored; asked again, the
stored bytes are returned (the filed document, not a new rendering). Kept 7
years from making (LkSG section 10(1); the CSDDD's 5 years fall inside it); we
do not know which law binds each member, so the longer period applies to all.
A member that withdraws from the covenant keeps access to its documents:
visibility follows the organisation, not its adherence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from imvo.accounts.models import User
from imvo.accounts.seams import AnyUser
from imvo.covenants.models import Covenant, Organisation
from imvo.regulation.models import RetainedDocument

RETENTION_YEARS = 7


def keep_until(made: date) -> date:
    try:
        return made.replace(year=made.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return made.replace(year=made.year + RETENTION_YEARS, day=28)


def retained(
    covenant: Covenant, organisation: Organisation, kind: str, fmt: str, year: int, source: str,
    filename: str, make: Callable[[], bytes], by: AnyUser = None,
) -> RetainedDocument:  # fmt: skip
    """The filed document for (kind, format, source), made with `make()` the first time."""
    doc = RetainedDocument.objects.filter(
        organisation=organisation, kind=kind, fmt=fmt, source=source
    ).first()
    if doc is not None:
        return doc
    data = make()
    now = timezone.now()
    doc = RetainedDocument(
        covenant=covenant, organisation=organisation, kind=kind, fmt=fmt, year=year,
        source=source, sha256=hashlib.sha256(data).hexdigest(), created=now,
        keep_until=keep_until(now.date()), by=by if isinstance(by, User) else None,
    )  # fmt: skip
    doc.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:  # made at the same moment by another request: keep the first
        doc.file.delete(save=False)
        return RetainedDocument.objects.get(
            organisation=organisation, kind=kind, fmt=fmt, source=source
        )
    return doc


def purge_expired(today: date | None = None) -> str:
    """Scheduled daily: documents past their retention period, with their files."""
    today = today or timezone.localdate()
    n = 0
    for doc in RetainedDocument.objects.filter(keep_until__lt=today):
        doc.file.delete(save=False)
        doc.delete()
        n += 1
    return f"removed {n} filed exports past their retention period"
