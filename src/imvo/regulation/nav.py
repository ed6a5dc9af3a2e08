"""Links to the regulation pages on the signed-in start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.registry import NavLink
from imvo.regulation.services.access import covenants_of
from imvo.regulation.services.engagement import named_for


def links_for(user: AnyUser) -> list[NavLink]:
    if covenants_of(user).exists() or roles.managed_covenant_ids(user) or named_for(user).exists():
        return [
            NavLink(reverse("regulation:index"), _("The law: CSDDD, ESRS S2, forced labour, EUDR"))
        ]
    return []
