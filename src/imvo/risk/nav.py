"""Risk links on the signed-in start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.core.registry import NavLink


def links_for(user: AnyUser) -> list[NavLink]:
    from imvo.accounts import seams as roles
    from imvo.covenants.models import Covenant

    links: list[NavLink] = []
    org = getattr(user, "organisation", None)
    if org is not None and org.type == "company":
        links.append(NavLink(reverse("risk:dashboard"), _("Risk scan and heatmap")))
        links.append(NavLink(reverse("risk:register"), _("Risk register")))
    ids = None if roles.is_platform_admin(user) else roles.managed_covenant_ids(user)
    qs = Covenant.objects.all() if ids is None else Covenant.objects.filter(pk__in=ids)
    for c in qs.order_by("name_en"):
        links.append(
            NavLink(
                reverse("risk:covenant", args=[c.slug]),
                _("Sector risk analysis: %(c)s") % {"c": c.name},
            )
        )
    if links:
        links.append(NavLink(reverse("risk:method"), _("How risks are scored and ranked")))
    return links
