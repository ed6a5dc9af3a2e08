import pytest

from imvo.accounts.testing import make_user

pytestmark = pytest.mark.django_db


def test_public_pages_are_cacheable_and_carry_security_headers(client):
    r = client.get("/")
    assert "no-store" not in r.get("Cache-Control", "")
    assert "default-src 'self'" in r["Content-Security-Policy"]
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"
    assert r["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_never_stored(client):
    client.force_login(make_user())
    r = client.get("/")
    assert r["Cache-Control"] == "no-store, private"


def test_database_going_away_gives_a_clean_503_page(tmp_path):
    """A real unreachable PostgreSQL server (nothing listens on port 9), not a mock."""
    import os

    from imvo.core.tests.serving import python

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DATABASE_URL="postgres://postgres@127.0.0.1:9/imvo",
        IMVO_VAR_DIR=str(tmp_path),
        IMVO_TESTING="1",
        DJANGO_SETTINGS_MODULE="imvo.settings",
    )
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(raise_request_exception=False).get('/', HTTP_HOST='localhost');"
        "print(r.status_code); print(r.content.decode())"
    )
    r = python(code, env)
    assert r.returncode == 0, r.stderr[-2000:]
    status, body = r.stdout.split("\n", 1)
    assert status == "503"
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body
