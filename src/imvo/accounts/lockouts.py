"""Accounts locked after too many failed log-ins (django-axes), and unlocking them.

A lock lasts AXES_COOLOFF_TIME (15 minutes) and then lifts by itself. Before
that, the secretariat can lift it for people of organisations in its
covenants (a platform admin for anyone), and setting a new password through
the reset link lifts it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.http import Http404

from imvo.accounts import services as roles
from imvo.accounts.models import User
from imvo.accounts.services import AnyUser


@dataclass(frozen=True)
class Lockout:
    username: str
    organisation: str
    failures: int
    last_attempt: datetime


def users_managed_by(user: AnyUser) -> Any:
    """People of the organisations the user may invite for (T45: active in a
    covenant it runs; a company that left it is no longer the secretariat's)."""
    from imvo.accounts.invitations import invitable_organisations

    if roles.is_platform_admin(user):
        return User.objects.all()
    return User.objects.filter(organisation__in=invitable_organisations(user))


def lockouts_visible_to(user: AnyUser) -> list[Lockout]:
    from datetime import timedelta

    from django.utils import timezone

    since = timezone.now() - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    attempts = AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    )
    names = set(attempts.values_list("username", flat=True))
    people = {
        u.username: u
        for u in users_managed_by(user).filter(username__in=names).select_related("organisation")
    }
    out: dict[str, Lockout] = {}
    for a in attempts.filter(username__in=people).order_by("-attempt_time"):
        if a.username not in out:
            org = people[a.username].organisation
            out[a.username] = Lockout(
                a.username, org.name if org else "", a.failures_since_start, a.attempt_time
            )
    return list(out.values())


def check_unlock(user: AnyUser, username: str) -> int:
    """Unlock an account the user manages; any other name answers 404."""
    if not users_managed_by(user).filter(username=username).exists():
        raise Http404
    return do_unlock(username)


def do_unlock(username: str) -> int:
    return int(reset(username=username))
