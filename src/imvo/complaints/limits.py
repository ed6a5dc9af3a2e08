"""Abuse limits on the public complaint paths: filings per client per hour and
wrong receipt codes per client (counted by imvo.core.ratelimit).

Both are counted in the database per keyed hash of the client address, never
the address itself (see imvo.core.ratelimit for how the address is found).
"""

from __future__ import annotations

from django.conf import settings

# The generic counter and the client's address live in core (shared with the
# risk scan API, the covenant application form and the log-in lock-out).
from imvo.core.ratelimit import RateLimitedError as RateLimitedError
from imvo.core.ratelimit import client_address as client_address
from imvo.core.ratelimit import client_key as client_key
from imvo.core.ratelimit import hit as hit

SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_SUBMIT_LIMIT", 10))  # per hour
SUBMIT_WINDOW = 3600
PARTNER_SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_PARTNER_SUBMIT_LIMIT", 500))
RECEIPT_FAILURE_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_RECEIPT_FAILURES", 10))
RECEIPT_WINDOW = 15 * 60


def count_receipt_failure(client: str) -> None:
    """Count one wrong receipt code; refused once the client has reached the limit.
    A right code is never counted nor refused (`following.complaint_by_receipt`),
    so guessing from a shared address cannot lock out the holder of a valid code."""
    hit("receipt", client, RECEIPT_FAILURE_LIMIT, RECEIPT_WINDOW)


def check_submit_allowed(client: str, limit: int | None = None) -> None:
    """Count one filing from `client` (a partner gateway passes its own, higher limit)."""
    hit("submit", client, limit or SUBMIT_LIMIT, SUBMIT_WINDOW)
