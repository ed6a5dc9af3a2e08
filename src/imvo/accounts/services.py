"""Who may do what. Every app asks these functions instead of re-deriving roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from imvo.accounts.models import CovenantRole, User
from imvo.core.errors import PermissionDeniedError
from imvo.core.scoping import Actor, RoleFacts

if TYPE_CHECKING:
    from imvo.covenants.models import Covenant

# Whoever asks: a signed-in user, an anonymous visitor, or None (the system).
type AnyUser = User | AnonymousUser | None


def signed_in(user: AnyUser) -> User:
    """The user as an account, for a write the caller has already authorised
    (an anonymous visitor or the system never reaches it)."""
    if not isinstance(user, User):
        raise PermissionDeniedError("Sign in first.")
    return user


def recorded_as(user: AnyUser) -> User | None:
    """The account to record as the one who did something (``by``, ``author``),
    or None when the system (or an anonymous visitor) did it."""
    return user if isinstance(user, User) else None


def person_name(user: AnyUser) -> str:
    """How a page names a person: their name as they gave it, never their log-in
    name (half of what signs them in; on a complaint case every reader would learn
    the committee's). An account without a name is told apart by its number."""
    if not isinstance(user, User):
        return ""
    return user.get_full_name().strip() or _("Account without a name (no. %(pk)s)") % {
        "pk": user.pk
    }


def recorded_person(user: AnyUser) -> str:
    """Who a record says did something: the person's name, or "Former user" when the
    account was removed since (the record's link is emptied; the log-in name it may
    keep beside it is never shown, and could be another account's by now)."""
    return person_name(user) if isinstance(user, User) else _("Former user")


def is_platform_admin(user: AnyUser) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def covenant_ids_with_role(user: AnyUser, role: str) -> set[int]:
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cache_name = f"_imvo_roles_{role}"
    cached = getattr(user, cache_name, None)
    if cached is None:
        cached = set(
            CovenantRole.objects.filter(user=user, role=role).values_list("covenant_id", flat=True)
        )
        setattr(user, cache_name, cached)
    return cached


def managed_covenant_ids(user: AnyUser) -> set[int]:
    """Covenants whose secretariat the user belongs to."""
    return covenant_ids_with_role(user, CovenantRole.Role.SECRETARIAT)


def committee_covenant_ids(user: AnyUser) -> set[int]:
    return covenant_ids_with_role(user, CovenantRole.Role.COMMITTEE)


def is_secretariat(user: AnyUser, covenant: Covenant | int | None = None) -> bool:
    """Secretariat of the given covenant (or of any covenant when none is given)."""
    if is_platform_admin(user):
        return True
    ids = managed_covenant_ids(user)
    if covenant is None:
        return bool(ids)
    cid = covenant if isinstance(covenant, int) else covenant.pk
    return cid in ids


def organisation_id(user: AnyUser) -> int | None:
    if not (user and user.is_authenticated and user.is_active):
        return None
    return user.organisation_id if isinstance(user, User) else None


def grant_role(user: User, covenant: Covenant, role: str) -> CovenantRole:
    obj, _ = CovenantRole.objects.get_or_create(user=user, covenant=covenant, role=role)
    for attr in list(vars(user)):
        if attr.startswith("_imvo_roles_"):
            delattr(user, attr)
    return obj


def role_facts(user: Actor) -> RoleFacts:
    """A user's roles as `core.scoping` reads them (handed over in AccountsConfig.ready)."""
    if not (isinstance(user, User) and user.is_active):
        return RoleFacts()
    return RoleFacts(
        signed_in=True,
        platform_admin=is_platform_admin(user),
        managed_covenants=frozenset(managed_covenant_ids(user)),
        organisation=organisation_id(user),
    )
