"""Accounts people can manage themselves: invitations, password reset by e-mail,
lock-outs that lift after their period or by the secretariat; one test through a
real SMTP server (aiosmtpd)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from imvo.accounts import invitations, lockouts
from imvo.accounts.models import User
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "veilig-nieuw-wachtwoord-2026"


def _link(body: object) -> str:
    m = re.search(r"https?://[^/\s]+(/\S+)", str(body))
    assert m, body
    return m.group(1)


def _fail_logins(client, username: str, n: int = 5) -> None:
    for _ in range(n):
        client.post("/accounts/login/", {"username": username, "password": "wrong-password"})


def test_secretariat_invites_a_member_who_sets_a_password_and_logs_in(client, world):
    client.force_login(world.secretariat_x)
    page = client.get("/accounts/invite/").content.decode()
    assert world.company_a.name in page and world.company_c.name not in page  # C is in Y
    r = client.post(
        "/accounts/invite/",
        {
            "organisation": world.company_a.pk,
            "email": "Fatima@Example.org",
            "name": "Fatima Rahman",
        },
    )
    assert r.status_code == 302
    invited = User.objects.get(email="fatima@example.org")
    assert not invited.is_active and not invited.has_usable_password()
    assert invited.organisation == world.company_a
    assert mail.outbox[-1].to == ["fatima@example.org"]
    link = _link(mail.outbox[-1].body)
    client.logout()

    assert "fatima@example.org" in client.get(link).content.decode()
    r = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302
    invited.refresh_from_db()
    assert invited.is_active
    r = client.post(
        "/accounts/login/", {"username": "fatima@example.org", "password": NEW_PASSWORD}
    )
    assert r.status_code == 302
    client.logout()
    # The link works once.
    page = client.get(link).content.decode()
    assert "new_password1" not in page and "/accounts/password-reset/" in page


def test_invitations_are_scoped_to_the_secretariats_covenants(world):
    with pytest.raises(PermissionDeniedError):
        invitations.check_invite(world.secretariat_y, world.company_a, "x@example.org", "", "")
    with pytest.raises(PermissionDeniedError):
        invitations.check_invite(world.member_a, world.company_a, "x@example.org", "", "")
    world.member_a.email = "taken@example.org"
    world.member_a.save()
    with pytest.raises(DomainError, match="already has an account"):
        invitations.check_invite(world.secretariat_x, world.company_a, "taken@example.org", "", "")


def test_a_secretariat_invites_only_for_organisations_active_in_its_covenant(world):
    """Company A left covenant Y and takes part in X only: Y's secretariat could
    still make accounts in it, which read A's lists and cases in X (T2; T30 was
    the same gap in the complaints app). docs/security.md, T45."""
    left = world.company_a.adherences.create(
        covenant=world.covenant_y, role="party", status="withdrawn"
    )
    with pytest.raises(PermissionDeniedError):
        invitations.check_invite(world.secretariat_y, world.company_a, "eve@y.example", "", "")
    assert world.company_a not in invitations.invitable_organisations(world.secretariat_y)
    # Nor does it list or lift the lock-outs of the company's people.
    assert world.member_a not in lockouts.users_managed_by(world.secretariat_y)
    left.status = "active"
    left.save()
    assert world.member_a in lockouts.users_managed_by(world.secretariat_y)
    invited = invitations.check_invite(
        world.secretariat_y, world.company_a, "new@a.example", "", ""
    )
    assert invited.organisation == world.company_a


def test_members_and_the_public_cannot_open_the_invitation_page(client, world):
    client.force_login(world.member_a)
    assert client.get("/accounts/invite/").status_code == 403
    assert client.get("/accounts/locked/").status_code == 403
    client.logout()
    assert client.get("/accounts/invite/").status_code == 302


def test_password_reset_by_email_also_lifts_a_lockout(client, world):
    world.member_a.email = "member.a@example.org"
    world.member_a.save()
    _fail_logins(client, world.member_a.username)
    r = client.post("/accounts/login/", {"username": world.member_a.username, "password": PASSWORD})
    assert "Too many failed attempts" in r.content.decode() or r.status_code == 429

    r = client.post("/accounts/password-reset/", {"email": "member.a@example.org"})
    assert r.status_code == 302
    # Unknown addresses get the same answer, and no mail.
    sent = len(mail.outbox)
    assert (
        client.post("/accounts/password-reset/", {"email": "nobody@example.org"}).status_code == 302
    )
    assert len(mail.outbox) == sent
    link = _link(mail.outbox[-1].body)
    r = client.get(link, follow=True)
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else link
    r = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert not AccessAttempt.objects.filter(username=world.member_a.username).exists()
    r = client.post(
        "/accounts/login/", {"username": world.member_a.username, "password": NEW_PASSWORD}
    )
    assert r.status_code == 302


def test_a_lockout_lifts_after_its_period(client, world):
    _fail_logins(client, world.member_b.username)
    r = client.post("/accounts/login/", {"username": world.member_b.username, "password": PASSWORD})
    assert r.status_code != 302
    AccessAttempt.objects.filter(username=world.member_b.username).update(
        attempt_time=timezone.now() - timedelta(minutes=16)
    )
    r = client.post("/accounts/login/", {"username": world.member_b.username, "password": PASSWORD})
    assert r.status_code == 302


def test_the_secretariat_unlocks_an_account_of_its_covenant_only(client, world):
    _fail_logins(client, world.member_a.username)
    assert [x.username for x in lockouts.lockouts_visible_to(world.secretariat_x)] == [
        world.member_a.username
    ]
    assert lockouts.lockouts_visible_to(world.secretariat_y) == []
    client.force_login(world.secretariat_y)
    r = client.post("/accounts/locked/", {"username": world.member_a.username})
    assert r.status_code == 404
    assert AccessAttempt.objects.filter(username=world.member_a.username).exists()
    client.force_login(world.secretariat_x)
    assert world.member_a.username in client.get("/accounts/locked/").content.decode()
    r = client.post("/accounts/locked/", {"username": world.member_a.username})
    assert r.status_code == 302
    client.logout()
    r = client.post("/accounts/login/", {"username": world.member_a.username, "password": PASSWORD})
    assert r.status_code == 302


def test_a_password_reset_mail_goes_through_a_real_smtp_server(client, world, settings):
    """Django's SMTP backend, as configured by EMAIL_URL=smtp://..., against aiosmtpd."""
    from aiosmtpd.controller import Controller

    from imvo.core.tests.serving import free_port

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        from imvo.settings import _mailer

        settings.MAILERS = {"default": _mailer(f"smtp://127.0.0.1:{controller.port}")}
        world.member_b.email = "member.b@example.org"
        world.member_b.save()
        assert (
            client.post("/accounts/password-reset/", {"email": "member.b@example.org"}).status_code
            == 302
        )
    finally:
        controller.stop()
    assert len(received) == 1
    envelope = received[0]
    assert envelope.rcpt_tos == ["member.b@example.org"]
    body = envelope.content.decode()
    assert "/accounts/password-reset/" in body and world.member_b.username in body
