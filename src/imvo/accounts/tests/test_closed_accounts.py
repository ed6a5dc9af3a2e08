"""A closed account stays closed: a secretariat's invitation opens a new account
or renews one not yet taken up, never one that was closed after use, which
would come back with every role it had, in covenants the inviter does not run
(docs/security.md, T70)."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from imvo.accounts import invitations
from imvo.accounts import services as roles
from imvo.accounts.models import ApiToken, User
from imvo.core.errors import DomainError

pytestmark = pytest.mark.django_db

PASSWORD = "veilig-nieuw-wachtwoord-2026"


def _close(user: User) -> User:
    user.is_active = False
    user.save()
    return user


def test_a_secretariat_cannot_reopen_a_closed_account_with_its_roles_elsewhere(client, world):
    """Company A takes part in X and Y. Its employee sat on Y's committee and was
    closed by the platform; X's secretariat 're-invited' the address, the person
    set a password and was Y's committee member again (T70)."""
    world.company_a.adherences.create(covenant=world.covenant_y, role="party", status="active")
    person = world.member_a
    person.email = "left@a.example"
    person.last_login = timezone.now()
    person.save()
    roles.grant_role(person, world.covenant_y, "committee")
    _close(person)

    with pytest.raises(DomainError, match="closed"):
        invitations.check_invite(world.secretariat_x, world.company_a, "left@a.example", "", "")
    assert not mail.outbox
    person.refresh_from_db()
    assert not person.is_active and person.has_usable_password()
    # Nor through the page.
    client.force_login(world.secretariat_x)
    r = client.post(
        "/accounts/invite/", {"organisation": world.company_a.pk, "email": "left@a.example"}
    )
    assert r.status_code == 200 and not mail.outbox
    assert not User.objects.get(pk=person.pk).is_active


def test_a_closed_account_that_never_logged_in_but_has_a_password_stays_closed(world):
    """Accepted (a password set), closed before its first log-in: still closed."""
    person = world.member_b
    person.email = "quick@b.example"
    person.save()
    _close(person)
    with pytest.raises(DomainError, match="closed"):
        invitations.check_invite(world.secretariat_x, world.company_b, "quick@b.example", "", "")


def test_a_pending_invitation_is_still_renewed(client, world):
    first = invitations.check_invite(world.secretariat_x, world.company_a, "new@a.example", "", "")
    again = invitations.check_invite(world.secretariat_x, world.company_a, "new@a.example", "", "")
    assert first.pk == again.pk and len(mail.outbox) == 2
    link = re.search(
        r"https?://[^/\s]+(/\S+)|(/accounts/invitation/\S+)", str(mail.outbox[-1].body)
    )
    assert link
    path = link.group(1) or link.group(2)
    r = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert r.status_code == 302 and User.objects.get(pk=first.pk).is_active


def test_the_platform_admin_may_reopen_a_closed_account(world):
    person = _close(world.member_a)
    person.email = "back@a.example"
    person.save()
    invited = invitations.check_invite(world.admin, world.company_a, "back@a.example", "", "")
    assert invited.pk == person.pk


def test_a_closed_account_has_no_session_and_no_token(client, world):
    """Held (checked here so it stays held): closing an account ends its
    signed-in session at the next request and its API tokens at once."""
    _token, raw = ApiToken.issue(world.member_a)
    client.force_login(world.member_a)
    assert client.get("/accounts/").status_code == 200
    assert client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    _close(world.member_a)
    assert client.get("/accounts/").status_code == 302
    assert client.get("/api/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_the_invitation_names_the_inviter_never_their_log_in_name(world, mailoutbox):
    """An invitation went to any address the secretariat typed, signed with the
    secretariat's log-in name when it had no name on file (docs/security.md T80)."""
    invitations.check_invite(world.secretariat_x, world.company_a, "new@a.example", "", "")
    (mail,) = mailoutbox
    assert "secretariat_x" not in mail.body
    assert mail.body.startswith("The secretariat invites you")
    world.secretariat_x.first_name, world.secretariat_x.last_name = "Sanne", "de Vries"
    world.secretariat_x.save()
    invitations.check_invite(world.secretariat_x, world.company_a, "two@a.example", "", "")
    assert mailoutbox[1].body.startswith("Sanne de Vries invites you")
