"""Who may use the regulation pages: members of a covenant (companies that are, or
were, a party: a withdrawn member keeps access to what the law makes it keep) and
the covenant's secretariat. Built on the due-diligence roles: the regulation pages
are made from the one due-diligence record."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.covenants.models import Covenant, Organisation
from imvo.duediligence.seams import (
    NotFound,
    member_covenants,
    member_organisation,
    require_member,
)
from imvo.duediligence.seams import require_reviewer as require_secretariat

__all__ = [
    "NotFound",
    "covenants_of",
    "member_or_former",
    "require_active_member",
    "require_secretariat",
]


def member_or_former(user: AnyUser, covenant: Covenant) -> Organisation | None:
    """The user's company if it is or was a party of the covenant (any status)."""
    return member_organisation(user, covenant, active_only=False)


def covenants_of(user: AnyUser) -> QuerySet[Covenant]:
    """Covenants the user's company is or was a party of."""
    return member_covenants(user, active_only=False).order_by("name_en")


def require_active_member(user: AnyUser, covenant: Covenant) -> Organisation:
    return require_member(
        user, covenant, _("Only an active member company of this covenant can do this.")
    )
