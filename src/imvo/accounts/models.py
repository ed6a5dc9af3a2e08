"""Users, their organisation, their roles per covenant, and API tokens.

Roles:
- platform admin: ``is_superuser`` (also reaches the Django admin);
- secretariat: a CovenantRole(role=secretariat) per covenant it manages;
- committee member: a CovenantRole(role=committee) per covenant;
- organisation member: ``user.organisation`` is set; sees and edits only
  that organisation's data.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice


class User(AbstractUser):  # type: ignore[django-manager-missing]
    organisation = models.ForeignKey(
        "covenants.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class CovenantRole(models.Model):
    class Role(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        COMMITTEE = "committee", _("Complaints committee")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="covenant_roles")
    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "covenant", "role"], name="unique_covenant_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.covenant}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        raw = "imvo_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[5:13], key_hash=_hash_token(raw)
        )
        return token, raw

    @classmethod
    def lookup(cls, raw: str) -> ApiToken | None:
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked=False, user__is_active=True)
            .first()
        )
        if token is not None:
            cls.objects.filter(pk=token.pk).update(last_used=timezone.now())
        return token


def _new_sealed_totp_key() -> str:
    import os

    from imvo.core import sealing

    return sealing.seal(TOTP_KEY_NAME, os.urandom(20))


TOTP_KEY_NAME = "accounts"


class SealedTOTPDevice(TimestampMixin, ThrottlingMixin, Device):  # type: ignore[misc]  # django-otp is untyped
    """A TOTP authenticator (RFC 6238) whose shared secret is stored encrypted.

    django-otp's own TOTPDevice keeps the secret as plain hex in the database,
    so a database dump or a backup would let anyone compute a user's codes.
    This device keeps the same fields and behaviour (the verification and the
    set-up URL are django-otp's own), only the secret is sealed with the key in
    ``VAR_DIR/keys/accounts.key`` (``imvo.core.sealing``).
    """

    key_sealed = models.TextField(default=_new_sealed_totp_key, editable=False)
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):  # type: ignore[misc]
        verbose_name = _("authenticator app")

    @property
    def bin_key(self) -> bytes:
        from imvo.core import sealing

        return sealing.unseal(TOTP_KEY_NAME, self.key_sealed)

    verify_token = TOTPDevice.verify_token
    get_throttle_factor = TOTPDevice.get_throttle_factor
    config_url = TOTPDevice.config_url
    _read_str_from_settings = TOTPDevice._read_str_from_settings
