"""Who uses the union and NGO tools: an active union or NGO party of the
covenant, and (to follow them) the covenant's secretariat."""

from __future__ import annotations

from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.errors import PermissionDeniedError
from imvo.covenants.models import Covenant, Organisation
from imvo.covenants.seams import active_adherence

CIVIL_SOCIETY = (Organisation.Type.UNION, Organisation.Type.NGO)


def civil_society_party(user: AnyUser, covenant: Covenant) -> Organisation | None:
    """The user's union or NGO when it is an active party of the covenant."""
    adherence = active_adherence(user, covenant)
    if adherence is None or adherence.organisation.type not in CIVIL_SOCIETY:
        return None
    return adherence.organisation


def may_use_tools(user: AnyUser, covenant: Covenant) -> bool:
    return roles.is_secretariat(user, covenant) or civil_society_party(user, covenant) is not None


def require_civil_society_party(user: AnyUser, covenant: Covenant) -> Organisation:
    org = civil_society_party(user, covenant)
    if org is None:
        raise PermissionDeniedError(
            _("Only a trade union or NGO that is a party to this covenant can do this.")
        )
    return org
