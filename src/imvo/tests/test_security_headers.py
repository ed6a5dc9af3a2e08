import os
import subprocess
from pathlib import Path

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


def test_pages_opened_by_a_secret_link_are_never_stored(client, world):
    """A supplier's questionnaire names the member that asks (which buyer sources
    where, T14) and an invitation names the person and organisation; both open
    anonymously by a secret link, and were sent without Cache-Control, so a
    shared computer's browser or a proxy could keep them (docs/security.md, T43)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from imvo.accounts import invitations
    from imvo.regulation.models import SupplierRequest

    asked = SupplierRequest.objects.create(
        covenant=world.covenant_x, organisation=world.company_a, supplier="Mill", employees=40
    )
    invited = invitations.do_invite(
        world.secretariat_x, world.company_a, "new@a.example", "New Person", "http://x"
    )
    uid = urlsafe_base64_encode(force_bytes(world.member_a.pk))
    reset = f"/accounts/password-reset/{uid}/{default_token_generator.make_token(world.member_a)}/"
    set_password = client.get(reset)["Location"]  # Django moves the token into the session
    assert set_password.endswith("/set-password/")
    for path in (
        f"/regulation/supplier/{asked.token}/",
        invitations.invitation_path(invited),
        set_password,
    ):
        r = client.get(path)
        assert r.status_code == 200, path
        assert r["Cache-Control"] == "no-store, private", path


def _fresh_interpreter(code: str, var: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    """`code` in a new interpreter with Django's settings read from an environment
    like ours, the install's files in `var`, and `env` set (None: unset)."""
    from imvo.core.tests.serving import python

    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base.update(IMVO_VAR_DIR=str(var), DJANGO_SETTINGS_MODULE="imvo.settings")
    for key, value in env.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return python(code, base)


def test_database_going_away_gives_a_clean_503_page(tmp_path):
    """A real unreachable PostgreSQL server (nothing listens on port 9), not a mock."""
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client(raise_request_exception=False).get('/', HTTP_HOST='localhost');"
        "print(r.status_code); print(r.content.decode())"
    )
    r = _fresh_interpreter(
        code, tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:9/imvo", IMVO_TESTING="1"
    )
    assert r.returncode == 0, r.stderr[-2000:]
    status, body = r.stdout.split("\n", 1)
    assert status == "503"
    assert "Temporarily unavailable" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_stored_files_are_not_served_by_their_path_even_with_debug_on(tmp_path):
    """The demo runs with DEBUG on. Django's `static(MEDIA_URL)` route handed every
    stored file (supplier lists, meeting papers, library attachments kept under
    their own names) to anyone who had its path, signed in or not; a file leaves
    only through its scoped download view."""
    stored = tmp_path / "media" / "supplier-lists" / "2026"
    stored.mkdir(parents=True)
    (stored / "7-2025-0123456789abcdef.bin").write_bytes(b"name,address,country\nSecret Mill")
    code = (
        "import django; django.setup();"
        "from django.conf import settings; assert settings.DEBUG;"
        "from django.urls import Resolver404, resolve\n"
        "try:\n"
        "    resolve('/media/supplier-lists/2026/7-2025-0123456789abcdef.bin'); print('served')\n"
        "except Resolver404:\n"
        "    print('not served')\n"
    )
    r = _fresh_interpreter(code, tmp_path, DEBUG="1", IMVO_TESTING=None, DATABASE_URL=None)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "not served"
