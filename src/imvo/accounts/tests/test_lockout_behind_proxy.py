"""Behind a reverse proxy the log-in lock-out counts the client from the
configured proxy header (imvo.core.ratelimit.client_ip), not the proxy's own
address: an attacker's wrong passwords lock out the attacker, not the owner."""

import pytest
from django.test import Client, override_settings

from imvo.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _login(username: str, password: str, forwarded: str) -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    r = client.post("/accounts/login/", {"username": username, "password": password})
    return r.status_code


@override_settings(IMVO_CLIENT_IP_HEADER="X-Forwarded-For")
def test_an_attacker_behind_the_proxy_does_not_lock_out_the_owner(world):
    name = world.member_a.username
    for _ in range(5):
        _login(name, "wrong-password", "203.0.113.66")
    assert _login(name, PASSWORD, "203.0.113.66") != 302  # the attacker is locked out
    assert _login(name, PASSWORD, "198.51.100.20") == 302  # the owner, elsewhere, is not


@override_settings(IMVO_CLIENT_IP_HEADER="")
def test_an_unconfigured_forwarded_header_cannot_dodge_the_lockout(world):
    name = world.member_b.username
    for n in range(5):
        _login(name, "wrong-password", f"203.0.113.{n}")
    # Without a configured proxy header the connection's address counts: a
    # header the client made up does not give it fresh attempts.
    assert _login(name, PASSWORD, "198.51.100.21") != 302
