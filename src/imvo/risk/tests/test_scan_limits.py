"""The anonymous scan API is bounded before its body is parsed: a body cap (413),
a per-client-address rate limit (429 with Retry-After) and a row cap (400)."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

ROW = [{"country": "Ghana", "product": "Cocoa"}]


def _scan(client, body: str, address: str = "203.0.113.20", **extra):
    return client.post(
        "/api/risk/scan", body, content_type="application/json", REMOTE_ADDR=address, **extra
    )


@override_settings(IMVO_RISK_SCAN_LIMIT=3)
def test_scans_are_limited_per_client_address(client):
    assert [_scan(client, json.dumps(ROW)).status_code for _ in range(3)] == [200] * 3
    r = _scan(client, json.dumps(ROW))
    assert r.status_code == 429
    assert "Too many attempts" in r.json()["detail"]
    assert 0 < int(r["Retry-After"]) <= 3600
    assert _scan(client, json.dumps(ROW), address="198.51.100.8").status_code == 200


@override_settings(IMVO_RISK_SCAN_LIMIT=2, IMVO_CLIENT_IP_HEADER="X-Forwarded-For")
def test_behind_a_proxy_each_client_has_its_own_limit(client):
    def scan(who: str) -> int:
        r = _scan(client, json.dumps(ROW), address="10.0.0.2", HTTP_X_FORWARDED_FOR=who)
        return int(r.status_code)

    assert [scan("203.0.113.30") for _ in range(3)] == [200, 200, 429]
    assert scan("203.0.113.31") == 200  # another client behind the same proxy
    # A client cannot escape its limit by prepending addresses of its own.
    assert scan("1.2.3.4, 203.0.113.30") == 429


@override_settings(IMVO_RISK_SCAN_MAX_BYTES=1000)
def test_an_oversized_body_is_refused_before_it_is_parsed(client):
    r = _scan(client, json.dumps(ROW * 100))
    assert r.status_code == 413
    assert "at most 1,000 bytes" in r.json()["detail"]
    # Not even valid JSON: refused by its size, not by a parse error.
    assert _scan(client, "x" * 2000).status_code == 413


@override_settings(IMVO_RISK_SCAN_MAX_BYTES=10_000_000)
def test_too_many_rows_are_refused_with_the_reason(client):
    r = _scan(client, json.dumps([{"country": "NL"}] * 50_001))
    assert r.status_code == 400
    assert "At most 50,000 rows" in r.json()["detail"]
