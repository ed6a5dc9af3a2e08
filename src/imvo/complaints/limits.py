"""Abuse limits on the public complaint paths: filings per client per hour and
wrong receipt codes per client.

Counted in the database (`RateCounter`), so every server process of an install
counts in one place: two gunicorn workers give no client twice the limit. The
count for one window is raised with a single conditional UPDATE, which the
database applies atomically, so concurrent attempts cannot slip past it.

No IP address is stored: a client is a keyed hash of its address, kept only
for the length of the window. The address is the connection's, or, behind a
reverse proxy, the last entry of the header that proxy sets
(``IMVO_CLIENT_IP_HEADER``, e.g. ``X-Forwarded-For``), and nothing else: a
header a client could set itself is never trusted unless configured.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.complaints.models import RateCounter
from imvo.core.errors import DomainError

SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_SUBMIT_LIMIT", 10))  # per hour
SUBMIT_WINDOW = 3600
PARTNER_SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_PARTNER_SUBMIT_LIMIT", 500))
RECEIPT_FAILURE_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_RECEIPT_FAILURES", 10))
RECEIPT_WINDOW = 15 * 60
LONGEST_WINDOW = max(SUBMIT_WINDOW, RECEIPT_WINDOW)


class RateLimitedError(DomainError):
    """Too many attempts from one client; try again later."""


def client_address(meta: Any) -> str:
    """The client's address: from the configured trusted proxy header, else the
    connection. The last entry of the header is the one our own proxy added."""
    header = str(getattr(settings, "IMVO_CLIENT_IP_HEADER", "") or "")
    if header:
        value = str(meta.get("HTTP_" + header.upper().replace("-", "_"), ""))
        last = value.split(",")[-1].strip()
        if last:
            return last
    return str(meta.get("REMOTE_ADDR", "") or "")


def client_key(address: str | None) -> str:
    """A keyed hash of the client address: counts attempts without keeping the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def _window(now: datetime, window: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window, tz=UTC)


def _refused(window: int) -> RateLimitedError:
    return RateLimitedError(
        _("Too many attempts from your connection. Please wait %(minutes)d minutes and try again.")
        % {"minutes": window // 60}
    )


def hit(
    kind: str,
    client: str,
    limit: int,
    window: int,
    count: bool = True,
    now: datetime | None = None,
) -> None:
    """Refuse when `client` has reached `limit` attempts of `kind` in this window;
    else count this one (unless `count` is False)."""
    now = now or timezone.now()
    key, start = f"{kind}:{client}", _window(now, window)
    if not count:
        n = (
            RateCounter.objects.filter(key=key, window_start=start)
            .values_list("count", flat=True)
            .first()
        )
        if (n or 0) >= limit:
            raise _refused(window)
        return
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row, created = RateCounter.objects.get_or_create(key=key, window_start=start)
            break
        except IntegrityError:  # another process created it between our get and create
            continue
    else:
        raise _refused(window)
    if created:
        RateCounter.objects.filter(
            window_start__lt=now - timedelta(seconds=LONGEST_WINDOW)
        ).delete()
    raised = RateCounter.objects.filter(pk=row.pk, count__lt=limit).update(count=F("count") + 1)
    if not raised:
        raise _refused(window)


def count_receipt_failure(client: str) -> None:
    """Count one wrong receipt code; refused once the client has reached the limit.
    A right code is never counted nor refused (`following.complaint_by_receipt`),
    so guessing from a shared address cannot lock out the holder of a valid code."""
    hit("receipt", client, RECEIPT_FAILURE_LIMIT, RECEIPT_WINDOW)


def check_submit_allowed(client: str, limit: int | None = None) -> None:
    """Count one filing from `client` (a partner gateway passes its own, higher limit)."""
    hit("submit", client, limit or SUBMIT_LIMIT, SUBMIT_WINDOW)
