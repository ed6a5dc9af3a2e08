"""Abuse limits on the public complaint paths: filings per client per hour and
wrong receipt codes per client. No IP address is stored: a client is a keyed
hash of its address, kept only in the cache for the length of the window.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from imvo.core.errors import DomainError

SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_SUBMIT_LIMIT", 10))  # per hour
SUBMIT_WINDOW = 3600
PARTNER_SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_PARTNER_SUBMIT_LIMIT", 500))
RECEIPT_FAILURE_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_RECEIPT_FAILURES", 10))
RECEIPT_WINDOW = 15 * 60


class RateLimitedError(DomainError):
    """Too many attempts from one client; try again later."""


def client_key(address: str | None) -> str:
    """A keyed hash of the client address: counts attempts without keeping the address.

    It lives only in the cache, for at most the rate-limit window.
    """
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def hit(kind: str, client: str, limit: int, window: int, count: bool = True) -> None:
    """Refuse when `client` has reached `limit` attempts of `kind`; else count this one."""
    ck = f"imvo-complaints:{kind}:{client}"
    n = cache.get(ck, 0)
    if n >= limit:
        raise RateLimitedError(
            _(
                "Too many attempts from your connection. Please wait %(minutes)d minutes and try again."
            )
            % {"minutes": window // 60}
        )
    if count:
        if n == 0:
            cache.set(ck, 1, window)
        else:
            try:
                cache.incr(ck)
            except ValueError:
                cache.set(ck, 1, window)


def check_receipt_allowed(client: str) -> None:
    hit("receipt", client, RECEIPT_FAILURE_LIMIT, RECEIPT_WINDOW, count=False)


def count_receipt_failure(client: str) -> None:
    hit("receipt", client, RECEIPT_FAILURE_LIMIT + 1, RECEIPT_WINDOW)


def check_submit_allowed(client: str, limit: int | None = None) -> None:
    """Count one filing from `client` (a partner gateway passes its own, higher limit)."""
    hit("submit", client, limit or SUBMIT_LIMIT, SUBMIT_WINDOW)
