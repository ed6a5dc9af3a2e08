"""Abuse limits: receipt guessing and filing floods are bounded per client,
counted in the database so that every server process counts in one place."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from imvo.complaints import limits
from imvo.complaints.services import access, following
from imvo.complaints.tests.helpers import file
from imvo.core.models import RateCounter
from imvo.core.tests.shared_database import shared_database_url


def test_receipt_guessing_is_bounded_but_never_locks_out_a_valid_code(world):
    filed = file(world)
    client = limits.client_key("203.0.113.9")
    for _ in range(limits.RECEIPT_FAILURE_LIMIT):
        with pytest.raises(access.CaseNotFoundError):
            following.complaint_by_receipt("WRONG-CODE", client=client)
    with pytest.raises(limits.RateLimitedError):
        following.complaint_by_receipt("WRONG-CODE", client=client)
    # Behind a shared address (a proxy, a village's phone shop) the holder of a
    # valid code still gets in.
    assert following.complaint_by_receipt(filed.receipt, client=client) == filed.complaint
    # The address itself is kept nowhere, only a keyed hash of it.
    assert "203.0.113.9" not in client
    assert not RateCounter.objects.filter(key__contains="203.0.113.9").exists()


def test_submission_flood_is_limited(world):
    client = limits.client_key("203.0.113.10")
    for _ in range(limits.SUBMIT_LIMIT):
        file(world, client=client)
    with pytest.raises(limits.RateLimitedError):
        file(world, client=client)
    file(world, client=limits.client_key("198.51.100.7"))  # another client is not affected


def test_counters_of_past_windows_are_removed(world):
    client = limits.client_key("203.0.113.11")
    then = timezone.now() - timedelta(hours=3)
    limits.hit("submit", client, 10, limits.SUBMIT_WINDOW, now=then)
    assert RateCounter.objects.count() == 1
    limits.hit("submit", client, 10, limits.SUBMIT_WINDOW)  # a new window clears old ones
    assert list(RateCounter.objects.values_list("count", flat=True)) == [1]


def test_client_address_comes_from_the_trusted_proxy_header_only(settings):
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.5"}
    settings.IMVO_CLIENT_IP_HEADER = ""
    assert limits.client_address(meta) == "10.0.0.2"  # a header nobody configured is ignored
    settings.IMVO_CLIENT_IP_HEADER = "X-Forwarded-For"
    assert limits.client_address(meta) == "203.0.113.5"  # the entry our proxy appended
    assert limits.client_address({"REMOTE_ADDR": "10.0.0.2"}) == "10.0.0.2"


GUESSER = """
import django; django.setup()
from django.test import Client
client = Client(REMOTE_ADDR="203.0.113.77", HTTP_HOST="localhost")
codes = []
for i in range(8):
    r = client.post("/complaints/follow/", {"receipt": f"WRONG-{i}"}, HTTP_ACCEPT_LANGUAGE="en")
    codes.append(r.status_code)
print(" ".join(map(str, codes)))
"""


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_limit(world, tmp_path):
    """Two real processes guess receipt codes from one address at the same time:
    together they get the limit's worth of answers, not twice as many."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "IMVO_TESTING"},
        "DATABASE_URL": shared_database_url(),
        "DJANGO_SETTINGS_MODULE": "imvo.settings",
        "DEBUG": "1",
        "IMVO_VAR_DIR": str(settings.VAR_DIR),
        "CACHE_URL": "",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", GUESSER],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    answers: list[int] = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err[-2000:]
        answers += [int(x) for x in out.split()]
    assert sorted(answers) == [404] * limits.RECEIPT_FAILURE_LIMIT + [429] * (
        16 - limits.RECEIPT_FAILURE_LIMIT
    )
    (row,) = RateCounter.objects.all()
    assert row.count == limits.RECEIPT_FAILURE_LIMIT


def _ask(
    port: int,
    method: str,
    path: str,
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    import http.client
    import json

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = dict(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    if data is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status


@pytest.mark.slow
def test_two_served_processes_share_one_limit(tmp_path):
    """Two real `imvo serve` installs (gunicorn, each on its own port) on one
    database: a client alternating between them gets the limit's worth of wrong
    receipt codes and of filings in all, not twice as many."""
    from imvo.core.tests.serving import migrated_install, run_python, serving

    var = tmp_path / "var"
    migrated_install(var, "covenant-x")
    with serving(var, "--no-worker") as one, serving(var, "--no-worker") as two:
        assert one.port != two.port and one.process.pid != two.process.pid
        ports = [one.port, two.port] * 8
        guesses = [
            _ask(p, "GET", "/api/complaints/mine", headers={"X-Receipt": f"WRONG-{i}"})
            for i, p in enumerate(ports)
        ]
        assert guesses == [404] * limits.RECEIPT_FAILURE_LIMIT + [429] * (
            16 - limits.RECEIPT_FAILURE_LIMIT
        ), guesses
        filings = [
            _ask(
                p,
                "POST",
                "/api/complaints",
                {"covenant": "covenant-x", "description": f"Wages unpaid, case {i}."},
            )
            for i, p in enumerate(ports[:12])
        ]
        assert filings == [201] * limits.SUBMIT_LIMIT + [429] * (12 - limits.SUBMIT_LIMIT), filings
    counts = run_python(
        var,
        "from imvo.complaints.models import Complaint\nfrom imvo.core.models import RateCounter\n"
        "print(Complaint.objects.count(), sorted(RateCounter.objects.values_list('count', flat=True)))\n",
    )
    assert counts.split(maxsplit=1) == [str(limits.SUBMIT_LIMIT), "[10, 10]\n"]
