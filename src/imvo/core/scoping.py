"""Who sees which rows: the one rule for every model with a covenant and an organisation.

A row of an organisation in a covenant (a supplier list, an action, a
remediation case, a submission...) is seen by that organisation's own users
and by the covenant's secretariat; platform administrators see all; anyone
else, and anonymous visitors, see none. Views never re-derive this: they ask
`Model.objects.visible_to(user)`.

Roles live one floor up (`imvo.accounts`), which hands its role facts to this
module from its `AppConfig.ready()` (`use_roles`), so core imports no app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models

# Whoever asks, as the ground floor sees them: any account, an anonymous visitor,
# or None (the system). Accounts narrows it to its own User (``AnyUser``).
type Actor = AbstractBaseUser | AnonymousUser | None


@dataclass(frozen=True)
class RoleFacts:
    """What scoping needs to know about whoever asks."""

    signed_in: bool = False
    platform_admin: bool = False
    managed_covenants: frozenset[int] = frozenset()
    organisation: int | None = None


NOBODY = RoleFacts()
_facts: Callable[[Actor], RoleFacts] = lambda _user: NOBODY  # noqa: E731 - until accounts is ready


def use_roles(facts: Callable[[Actor], RoleFacts]) -> None:
    """Called once by the accounts app: how to read a user's roles."""
    global _facts
    _facts = facts


def role_facts(user: Actor) -> RoleFacts:
    return _facts(user)


def scope_q(
    facts: RoleFacts,
    covenant_field: str = "covenant_id",
    organisation_field: str = "organisation_id",
    secretariat_sees: models.Q | None = None,
) -> models.Q | None:
    """The rule as a filter: own organisation's rows, or rows of a covenant whose
    secretariat the user is in (narrowed by `secretariat_sees` when a model keeps
    some rows from the secretariat, such as a member's draft). None means every
    row (platform admin)."""
    if facts.platform_admin:
        return None
    q = models.Q(**{f"{covenant_field}__in": facts.managed_covenants})
    if secretariat_sees is not None:
        q &= secretariat_sees
    if facts.organisation:
        q |= models.Q(**{organisation_field: facts.organisation})
    return q


class ScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """A queryset whose `visible_to(user)` applies the rule above.

    A model narrows what the secretariat sees by overriding `secretariat_sees`
    (the member's own rows stay visible to the member)."""

    covenant_field = "covenant_id"
    organisation_field = "organisation_id"

    def secretariat_sees(self) -> models.Q | None:
        """Which of its covenants' rows the secretariat sees; None: all of them."""
        return None

    def visible_to(self, user: Actor) -> Self:
        facts = role_facts(user)
        if not facts.signed_in:
            return self.none()
        q = scope_q(facts, self.covenant_field, self.organisation_field, self.secretariat_sees())
        return self if q is None else self.filter(q)
