"""Abuse limits: attempts of one kind per client per fixed time window.

Used by the public complaint paths (complaints/limits.py), the anonymous risk
scan API and the covenant application form; `client_ip` is also django-axes'
client address (AXES_CLIENT_IP_CALLABLE), so the log-in lock-out counts the
same client as every other limit.

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
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.core.errors import DomainError
from imvo.core.models import RateCounter


class RateLimitedError(DomainError):
    """Too many attempts from one client; try again in `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


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


def client_ip(request: HttpRequest) -> str:
    """`client_address` of a request (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request.META)


def client_key(address: str | None) -> str:
    """A keyed hash of the client address: counts attempts without keeping the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def request_client(request: HttpRequest) -> str:
    """The keyed hash of the request's client address."""
    return client_key(client_ip(request))


def _window(now: datetime, window: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % window, tz=UTC)


def _refused(window: int, start: datetime, now: datetime) -> RateLimitedError:
    retry_after = int((start.timestamp() + window) - now.timestamp()) + 1
    return RateLimitedError(
        _("Too many attempts from your connection. Please wait %(minutes)d minutes and try again.")
        % {"minutes": max(1, -(-retry_after // 60))},
        retry_after,
    )


def hit(
    kind: str,
    client: str,
    limit: int,
    window: int,
    count: bool = True,
    now: datetime | None = None,
) -> None:
    """Refuse (RateLimitedError) when `client` has reached `limit` attempts of
    `kind` in this window of `window` seconds; else count this one (unless
    `count` is False)."""
    now = now or timezone.now()
    key, start = f"{kind}:{client}", _window(now, window)
    if not count:
        n = (
            RateCounter.objects.filter(key=key, window_start=start)
            .values_list("count", flat=True)
            .first()
        )
        if (n or 0) >= limit:
            raise _refused(window, start, now)
        return
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row, created = RateCounter.objects.get_or_create(key=key, window_start=start)
            break
        except IntegrityError:  # another process created it between our get and create
            continue
    else:
        raise _refused(window, start, now)
    if created:
        RateCounter.objects.filter(key__startswith=f"{kind}:", window_start__lt=start).delete()
    raised = RateCounter.objects.filter(pk=row.pk, count__lt=limit).update(count=F("count") + 1)
    if not raised:
        raise _refused(window, start, now)


def with_retry_after[R: HttpResponse](response: R, error: RateLimitedError) -> R:
    """`response` (a page or a download refused with 429) told when to try again:
    the `Retry-After` header, in seconds, so a partner's gateway or a browser
    waits instead of hammering on."""
    response["Retry-After"] = str(error.retry_after)
    return response


def too_many_response(error: RateLimitedError) -> JsonResponse:
    """The API's answer to a refused attempt: 429, the reason, and Retry-After.
    Every 429 of the platform comes from here or from `with_retry_after`."""
    return with_retry_after(JsonResponse({"detail": str(error)}, status=429), error)
