"""An invitation link's week of validity stays the invitation's: checking one
never lengthens a password-reset link's hour (docs/security.md, T61). The check
used to set PASSWORD_RESET_TIMEOUT to a week with override_settings, for the
whole process and every thread of the server (4 by default) while it ran."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator

from imvo.accounts.invitations import InvitationTokenGenerator

pytestmark = pytest.mark.django_db


def _ago(delta: timedelta) -> datetime:
    return datetime.now() - delta  # noqa: DTZ005 (Django's tokens count naive local time)


def _at[G: PasswordResetTokenGenerator](generator: G, at: datetime) -> G:
    """`generator` making its tokens at another time."""
    generator._now = lambda: at  # type: ignore[method-assign]
    return generator


def test_an_expired_reset_link_stays_expired_while_an_invitation_is_checked(world):
    victim = world.member_a
    old_reset = _at(PasswordResetTokenGenerator(), _ago(timedelta(hours=2))).make_token(victim)
    assert not default_token_generator.check_token(victim, old_reset)  # an hour, so expired

    seen_meanwhile: list[bool] = []

    class Meanwhile(InvitationTokenGenerator):
        """Another thread of the server checks the old reset link in the middle
        of an invitation check (deterministically: from inside it)."""

        def _make_hash_value(self, user, timestamp):
            seen_meanwhile.append(default_token_generator.check_token(victim, old_reset))
            return super()._make_hash_value(user, timestamp)

    invitations = Meanwhile()
    invitee = world.member_b
    assert invitations.check_token(invitee, invitations.make_token(invitee))
    assert seen_meanwhile and not any(seen_meanwhile)
    assert not default_token_generator.check_token(victim, old_reset)


def test_an_invitation_lives_a_week_and_no_longer(world, settings):
    settings.IMVO_INVITATION_SECONDS = 7 * 24 * 3600
    user = world.member_b
    now = InvitationTokenGenerator()
    six_days = _at(InvitationTokenGenerator(), _ago(timedelta(days=6))).make_token(user)
    eight_days = _at(InvitationTokenGenerator(), _ago(timedelta(days=8))).make_token(user)
    assert now.check_token(user, six_days) and not now.check_token(user, eight_days)
    assert not now.check_token(user, default_token_generator.make_token(user))  # other salt
    assert not now.check_token(user, "zzzz-" + six_days.split("-")[1])
    assert not now.check_token(user, "no token") and not now.check_token(user, None)
