"""Risk links on the signed-in start page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


def links_for(user: Any) -> list[dict[str, str]]:
    from imvo.accounts import services as roles
    from imvo.covenants.models import Covenant

    links: list[dict[str, str]] = []
    org = getattr(user, "organisation", None)
    if org is not None and org.type == "company":
        links.append({"url": reverse("risk:dashboard"), "label": _("Risk scan and heatmap")})
        links.append({"url": reverse("risk:register"), "label": _("Risk register")})
    ids = None if roles.is_platform_admin(user) else roles.managed_covenant_ids(user)
    qs = Covenant.objects.all() if ids is None else Covenant.objects.filter(pk__in=ids)
    for c in qs.order_by("name_en"):
        links.append(
            {
                "url": reverse("risk:covenant", args=[c.slug]),
                "label": _("Sector risk analysis: %(c)s") % {"c": c.name},
            }
        )
    if links:
        links.append({"url": reverse("risk:method"), "label": _("How risks are scored and ranked")})
    return links
