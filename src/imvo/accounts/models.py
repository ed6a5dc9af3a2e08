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


class User(AbstractUser):
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
