"""Start-page link: signals about production locations (unions and NGOs raise
them, members reached answer them, the secretariat follows them)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.registry import NavLink
from imvo.covenants.models import Organisation
from imvo.parties.models import Signal


def links_for(user: AnyUser) -> list[NavLink]:
    if roles.organisation_id(user) is None and not roles.is_secretariat(user):
        return []
    if not Signal.objects.visible_to(user).exists():
        oid = roles.organisation_id(user)
        civil = oid is not None and (
            Organisation.objects.filter(
                pk=oid, type__in=(Organisation.Type.UNION, Organisation.Type.NGO)
            ).exists()
        )
        if not civil:
            return []
    return [NavLink(reverse("parties:signals"), _("Signals about production locations"))]
