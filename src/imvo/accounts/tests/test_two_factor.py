"""Optional TOTP second factor: set-up, log-in in two steps, wrong codes refused."""

import time

import pytest
from django_otp.oath import totp

from imvo.accounts.models import SealedTOTPDevice as TOTPDevice
from imvo.accounts.testing import make_user
from imvo.core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def test_user_sets_up_two_factor_and_then_needs_the_code_to_log_in(client):
    user = make_user("sanne")
    client.force_login(user)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page  # the QR code
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    r = client.post(
        "/accounts/two-factor/", {"code": "000000" if _code(device) != "000000" else "111111"}
    )
    assert "klopt niet" in r.content.decode()  # Dutch is the default language
    time.sleep(1.1)  # django-otp throttles: one second after a first failure
    client.post("/accounts/two-factor/", {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed

    client.logout()
    r = client.post("/accounts/login/", {"username": "sanne", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"].endswith("/accounts/login/verify/")
    assert "_auth_user_id" not in client.session  # not logged in after the password alone
    assert client.get("/accounts/").status_code == 302

    r = client.post("/accounts/login/verify/", {"code": "12345x"})
    assert "_auth_user_id" not in client.session
    time.sleep(1.1)
    device.refresh_from_db()
    # The set-up code cannot be replayed; the next time step's code (within tolerance) is new.
    r = client.post("/accounts/login/verify/", {"code": _code(device, offset=1)})
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/accounts/").status_code == 200


def test_without_a_device_log_in_is_one_step(client):
    make_user("piet")
    r = client.post("/accounts/login/", {"username": "piet", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"].endswith("/accounts/")
    assert "_auth_user_id" in client.session


def test_verify_step_without_password_step_goes_back_to_login(client):
    r = client.get("/accounts/login/verify/")
    assert r.status_code == 302 and r["Location"].endswith("/accounts/login/")


def test_the_totp_secret_is_not_in_the_database_in_plain_text():
    from django.db import connection

    from imvo.accounts import two_factor

    user = make_user("kees")
    device = two_factor.start_setup(user)
    secret = device.bin_key
    assert len(secret) == 20
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT key_sealed FROM accounts_sealedtotpdevice WHERE id = %s", [device.pk]
        )
        (stored,) = cursor.fetchone()
    assert secret.hex() not in stored and secret not in stored.encode()
    assert device.verify_token(_code(device))


def test_the_admin_log_in_does_not_skip_the_second_factor(client):
    """Django's admin has its own log-in form (password only), and its session is
    the site's: a platform admin's password alone, typed at /admin/login/, gave a
    full session past the second factor, on the admin and every page of the site.
    The admin's log-in address now sends to the site's log-in, which asks for the
    code, and back (docs/security.md, T44)."""
    admin = make_user("beheer", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    r = client.post(
        "/admin/login/?next=/admin/",
        {"username": "beheer", "password": PASSWORD, "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    assert r.status_code == 302 and r["Location"] == "/accounts/login/?next=/admin/"
    assert client.get("/admin/").status_code == 302
    assert client.get("/accounts/").status_code == 302

    # Signed in through the site (here without a device), the admin opens; a
    # signed-in person who is not staff is refused, not sent round in a loop.
    client.force_login(admin)
    r = client.get("/admin/login/?next=/admin/accounts/user/")
    assert r.status_code == 302 and r["Location"] == "/admin/accounts/user/"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/admin/"
    client.force_login(make_user("lid"))
    assert client.get("/admin/login/?next=/admin/").status_code == 403
