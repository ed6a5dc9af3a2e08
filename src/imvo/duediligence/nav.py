"""Links to the due-diligence pages on the signed-in start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser
from imvo.core.registry import NavLink


def links_for(user: AnyUser) -> list[NavLink]:
    from imvo.duediligence import services

    links = []
    if services.member_covenants(user).exists():
        links.append(
            NavLink(
                reverse("duediligence:index"), _("Due diligence: yearly submission and action plan")
            )
        )
    if services.reviewed_covenants(user).exists():
        links.append(
            NavLink(reverse("duediligence:index"), _("Due diligence: review queue and figures"))
        )
    return links[:1] if len(links) == 2 else links
