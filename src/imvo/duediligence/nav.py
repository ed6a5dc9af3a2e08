"""Links to the due-diligence pages on the signed-in start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.core.registry import NavLink
from imvo.duediligence.services.access import member_covenants, reviewed_covenants


def links_for(user: AnyUser) -> list[NavLink]:
    links = []
    if member_covenants(user).exists():
        links.append(
            NavLink(
                reverse("duediligence:index"), _("Due diligence: yearly submission and action plan")
            )
        )
    if reviewed_covenants(user).exists():
        links.append(
            NavLink(reverse("duediligence:index"), _("Due diligence: review queue and figures"))
        )
    return links[:1] if len(links) == 2 else links
