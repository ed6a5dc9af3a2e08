"""Links to the supply-chain pages on the signed-in start page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


def links_for(user: Any) -> list[dict[str, str]]:
    from imvo.accounts import services as roles
    from imvo.supplychain.services import member_covenants

    if not (user and user.is_authenticated):
        return []
    links: list[dict[str, str]] = []
    members = member_covenants(user)
    if members.exists():
        links.append({"url": reverse("supplychain:upload"), "label": _("Upload a supplier list")})
    if members.exists() or roles.is_secretariat(user):
        links.append({"url": reverse("supplychain:index"), "label": _("Supplier lists")})
    return links
