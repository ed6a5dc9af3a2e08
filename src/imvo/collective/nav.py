"""Joint-action links on the signed-in start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.registry import NavLink


def links_for(user: AnyUser) -> list[NavLink]:
    from imvo.collective.models import Verifier

    org = getattr(user, "organisation", None)
    company = org is not None and org.type == "company"
    verifier = bool(
        user and user.is_authenticated and Verifier.objects.filter(user_id=user.pk).exists()
    )
    if company or roles.is_secretariat(user) or verifier:
        return [NavLink(reverse("collective:index"), _("Joint action on shared facilities"))]
    return []
