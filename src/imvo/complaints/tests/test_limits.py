"""Abuse limits: receipt guessing and filing floods are bounded per client."""

import pytest

from imvo.complaints import limits
from imvo.complaints.services import access, following
from imvo.complaints.tests.helpers import file


def test_receipt_guessing_is_bounded(world):
    filed = file(world)
    client = limits.client_key("203.0.113.9")
    for _ in range(limits.RECEIPT_FAILURE_LIMIT):
        with pytest.raises(access.CaseNotFoundError):
            following.complaint_by_receipt("WRONG-CODE", client=client)
    with pytest.raises(limits.RateLimitedError):
        following.complaint_by_receipt(filed.receipt, client=client)
    # Another client is not affected, and the address itself is not kept.
    assert following.complaint_by_receipt(filed.receipt, client=limits.client_key("198.51.100.1"))
    assert "203.0.113.9" not in client


def test_submission_flood_is_limited(world):
    client = limits.client_key("203.0.113.10")
    for _ in range(limits.SUBMIT_LIMIT):
        file(world, client=client)
    with pytest.raises(limits.RateLimitedError):
        file(world, client=client)
