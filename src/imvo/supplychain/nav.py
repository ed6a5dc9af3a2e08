"""Links to the supply-chain pages on the signed-in start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser
from imvo.core.registry import NavLink


def links_for(user: AnyUser) -> list[NavLink]:
    from imvo.accounts import services as roles
    from imvo.supplychain.services import member_covenants

    if not (user and user.is_authenticated):
        return []
    links: list[NavLink] = []
    members = member_covenants(user)
    # Supplier lists are a company's tool: a union or NGO party gets its own (issue 17).
    org = getattr(user, "organisation", None)
    if org is not None and org.type != "company":
        members = members.none()
    if members.exists():
        links.append(NavLink(reverse("supplychain:upload"), _("Upload a supplier list")))
    if members.exists() or roles.is_secretariat(user):
        links.append(NavLink(reverse("supplychain:index"), _("Supplier lists")))
        links.append(NavLink(reverse("supplychain:review"), _("Review facility matches")))
    return links
