"""Who may use the regulation pages: members of a covenant (companies that are, or
were, a party: a withdrawn member keeps access to what the law makes it keep) and
the covenant's secretariat."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.covenants.seams import company_party_adherences
from imvo.duediligence.seams import member_organisation


class NotFound(DomainError):
    """The object does not exist for the person asking (views answer 404)."""


def _party(user: AnyUser) -> QuerySet[Adherence]:
    return company_party_adherences(roles.organisation_id(user), active_only=False)


def member_or_former(user: AnyUser, covenant: Covenant) -> Organisation | None:
    """The user's company if it is or was a party of the covenant (any status)."""
    a = _party(user).filter(covenant=covenant).select_related("organisation").first()
    return a.organisation if a else None


def covenants_of(user: AnyUser) -> QuerySet[Covenant]:
    """Covenants the user's company is or was a party of."""
    return Covenant.objects.filter(pk__in=_party(user).values("covenant_id")).order_by("name_en")


def require_active_member(user: AnyUser, covenant: Covenant) -> Organisation:
    org = member_organisation(user, covenant)
    if org is None:
        raise PermissionDeniedError(
            _("Only an active member company of this covenant can do this.")
        )
    return org


def require_secretariat(user: AnyUser, covenant: Covenant) -> None:
    if not roles.is_secretariat(user, covenant):
        raise PermissionDeniedError(_("Only the covenant's secretariat can do this."))
