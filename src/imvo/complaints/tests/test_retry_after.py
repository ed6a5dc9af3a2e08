"""Every refusal for too many attempts (429) on the complaint paths says when to
try again (`Retry-After`, seconds): the API's filing and receipt look-up, the
follow page, the follow page's file download and the public form. A partner's
gateway that got a bare 429 could only guess, and retried at once."""

import pytest
from django.urls import reverse

from imvo.complaints import limits

BODY = {"covenant": "covenant-x", "description": "Wages unpaid for three months."}
WRONG = "AAAA-AAAA-AAAA-AAAA-AAAA"


def _waits(response) -> int:
    assert response.status_code == 429, response.status_code
    seconds = int(response["Retry-After"])
    assert 0 < seconds <= 3600
    return seconds


@pytest.fixture
def few_filings(monkeypatch):
    monkeypatch.setattr(limits, "SUBMIT_LIMIT", 2)


def test_api_filing_refusal_says_when(client, world, few_filings):
    for _ in range(2):
        r = client.post("/api/complaints", BODY, content_type="application/json")
        assert r.status_code == 201
    r = client.post("/api/complaints", BODY, content_type="application/json")
    _waits(r)
    assert "Too many attempts" in r.json()["detail"]


def test_api_receipt_guessing_refusal_says_when(client, world):
    for _ in range(limits.RECEIPT_FAILURE_LIMIT):
        assert client.get("/api/complaints/mine", headers={"X-Receipt": WRONG}).status_code == 404
    r = client.get("/api/complaints/mine", headers={"X-Receipt": WRONG})
    # The receipt window is 15 minutes: never told to wait longer than that.
    assert _waits(r) <= limits.RECEIPT_WINDOW
    assert "Too many attempts" in r.json()["detail"]


def test_follow_page_and_its_file_download_say_when(client, world):
    for _ in range(limits.RECEIPT_FAILURE_LIMIT):
        client.post(reverse("complaints:follow"), {"receipt": WRONG})
    r = client.post(reverse("complaints:follow"), {"receipt": WRONG})
    _waits(r)
    assert "Too many attempts" in r.content.decode()
    _waits(client.post(reverse("complaints:follow_file"), {"receipt": WRONG, "file": 1}))


def test_public_form_flood_is_429_and_says_when(client, world, few_filings):
    data = {
        "action": "submit",
        "covenant": world.covenant_x.slug,
        "complainant_type": "affected",
        "description": "They locked the doors at night.",
        "anonymous": "on",
    }
    for _ in range(2):
        assert client.post(reverse("complaints:new"), data).status_code == 201
    r = client.post(reverse("complaints:new"), data)
    _waits(r)
    html = r.content.decode()
    # The form comes back with the reason and what was typed, to send later.
    assert "Too many attempts" in html and "They locked the doors at night." in html
