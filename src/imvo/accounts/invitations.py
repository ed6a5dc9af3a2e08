"""Invitations: the secretariat gives a member organisation's person an account.

The secretariat of a covenant (or a platform admin) names an organisation
that adheres to the covenant and the person's e-mail address. The platform
creates an inactive account for that organisation and mails a link; the
person opens it, chooses a password, and the account is active. The link is
valid for IMVO_INVITATION_SECONDS (a week) and only until it is used (its
token depends on the password, which the invited person then sets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from imvo.accounts import services as roles
from imvo.accounts.models import User
from imvo.accounts.services import AnyUser
from imvo.core.errors import DomainError, PermissionDeniedError

if TYPE_CHECKING:
    # Accounts is on the ground floor: the organisation's type only, never its import.
    from imvo.covenants.models import Organisation


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like the password-reset token, with its own salt (a reset link is not an
    invitation) and its own validity, IMVO_INVITATION_SECONDS.

    Django's `check_token` reads `settings.PASSWORD_RESET_TIMEOUT`; this one
    compares with the invitation's validity itself. It used to lengthen the
    setting for the check with `override_settings`, which changes it for the
    whole process: while one thread checked an invitation, a reset link checked
    in another thread lived a week instead of an hour, and two invitation checks
    ending out of order left the week in place for every later reset link
    (docs/security.md, T61)."""

    key_salt = "imvo.accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        from django.utils.crypto import constant_time_compare
        from django.utils.http import base36_to_int

        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - ts <= int(settings.IMVO_INVITATION_SECONDS)


invitation_tokens = InvitationTokenGenerator()


def invitable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations the user may invite people for: those taking part (an active
    adherence) in a covenant whose secretariat the user is (every organisation
    for a platform admin). An account reaches its organisation's data in every
    covenant: the secretariat of one the organisation left makes none
    (docs/security.md, T45)."""
    from django.apps import apps

    organisations = apps.get_model("covenants", "Organisation")
    if roles.is_platform_admin(user):
        return organisations.objects.order_by("name")
    return (
        # Both conditions on one adherence (one filter() call), as in T30.
        organisations.objects.filter(
            adherences__covenant_id__in=roles.managed_covenant_ids(user),
            adherences__status="active",
        )
        .distinct()
        .order_by("name")
    )


def pending_invitations(user: AnyUser) -> QuerySet[User]:
    return User.objects.filter(
        organisation__in=invitable_organisations(user), is_active=False, last_login=None
    ).exclude(email="")


def link_base(request_base: str = "") -> str:
    return settings.IMVO_PUBLIC_URL or request_base.rstrip("/")


def check_invite(
    user: AnyUser, organisation: Organisation | None, email: str, name: str, base_url: str
) -> User:
    if (
        organisation is None
        or not invitable_organisations(user).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDeniedError(
            _("You can invite people only for organisations in a covenant you run.")
        )
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Give the person's e-mail address."))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and existing.is_active:
        raise DomainError(
            _("%(email)s already has an account. They can reset its password from the log-in page.")
            % {"email": email}
        )
    if existing is not None and existing.organisation_id != organisation.pk:
        raise DomainError(_("%(email)s was invited for another organisation.") % {"email": email})
    if existing is not None and not roles.is_platform_admin(user) and was_taken_up(existing):
        # Reopened, it would come back with every role it had, also in covenants
        # this secretariat does not run (docs/security.md, T70).
        raise DomainError(
            _(
                "%(email)s had an account that was closed. Only the platform"
                " administrator can reopen it."
            )
            % {"email": email}
        )
    return do_invite(user, organisation, email, (name or "").strip()[:150], base_url)


def was_taken_up(account: User) -> bool:
    """An account that was used (a password set or a log-in), not an invitation
    still waiting: `do_invite` leaves a waiting one without a usable password."""
    return account.last_login is not None or account.has_usable_password()


def do_invite(
    user: AnyUser, organisation: Organisation, email: str, name: str, base_url: str
) -> User:
    """Create (or renew) the inactive account and mail the link."""
    inviter = roles.signed_in(user)
    with transaction.atomic():
        invited, _created = User.objects.get_or_create(
            email=email,
            defaults={"username": email[:150], "organisation": organisation, "is_active": False},
        )
        if name:
            first, _sep, last = name.partition(" ")
            invited.first_name, invited.last_name = first[:150], last[:150]
        invited.set_unusable_password()
        invited.save()
    link = base_url + invitation_path(invited)
    send_mail(
        _("Your account on the %(platform)s") % {"platform": settings.PLATFORM_NAME},
        _(
            "%(who)s invites you to the %(platform)s for %(org)s.\n\n"
            "Choose your password here (the link is valid for seven days):\n%(link)s\n\n"
            "Your user name is %(username)s. If you did not expect this, ignore this mail."
        )
        % {
            # The inviter's name, never their log-in name (docs/security.md T80).
            "who": inviter.get_full_name().strip() or _("The secretariat"),
            "platform": settings.PLATFORM_NAME,
            "org": organisation.name,
            "link": link,
            "username": invited.username,
        },
        None,
        [email],
    )
    return invited


def invitation_path(invited: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    return reverse("accounts:accept_invitation", args=[uid, invitation_tokens.make_token(invited)])


def invited_user(uidb64: str, token: str) -> User | None:
    """The person an invitation link is for, or None when it is invalid or used."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=False).first()
    if user is None or not invitation_tokens.check_token(user, token):
        return None
    return user


def do_accept(invited: User, password: str) -> User:
    invited.set_password(password)
    invited.is_active = True
    invited.save()
    return invited
