"""Health probes answer a load balancer as it asks: plain http, the backend's own
address as Host (docs/operations.md, "Monitoring").

In production (https on, ALLOWED_HOSTS the public name) a probe of
``http://10.0.0.5:8000/health/live/`` was redirected to https or refused for its
Host, so the liveness probe never said "alive" and `imvo serve` never printed
"Serving on ..." (its readiness check is such a probe).
"""

import pytest
from django.test import Client, override_settings

PRODUCTION = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "ALLOWED_HOSTS": ["imvo.example.org"],
}


@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_probes_answer_plain_http_on_the_backend_address():
    probe = Client(HTTP_HOST="10.0.0.5:8000")
    live = probe.get("/health/live/")
    assert live.status_code == 200 and live.json() == {"status": "alive"}
    ready = probe.get("/health/ready/")
    assert ready.status_code == 200 and ready.json()["migrations"] == "ok"
    health = probe.get("/health/")
    assert health.status_code == 200
    assert {"worker_last_seen", "scheduled_jobs"} <= set(health.json())
    assert probe.head("/health/live/").status_code == 200


@pytest.mark.django_db
@override_settings(**PRODUCTION)
def test_other_pages_still_redirect_to_https_and_check_the_host():
    assert Client(HTTP_HOST="imvo.example.org").get("/").status_code == 301
    assert Client(HTTP_HOST="10.0.0.5:8000").get("/").status_code == 400
    # Only the probe paths themselves skip the checks, and only for reading.
    assert Client(HTTP_HOST="imvo.example.org").get("/health/live/x").status_code == 301
    assert Client(HTTP_HOST="10.0.0.5:8000").post("/health/live/").status_code == 400
