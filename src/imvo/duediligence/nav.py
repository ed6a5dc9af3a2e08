"""Links to the due-diligence pages on the signed-in start page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


def links_for(user: Any) -> list[dict[str, str]]:
    from imvo.duediligence import services

    links = []
    if services.member_covenants(user).exists():
        links.append(
            {
                "url": reverse("duediligence:index"),
                "label": _("Due diligence: yearly submission and action plan"),
            }
        )
    if services.reviewed_covenants(user).exists():
        links.append(
            {
                "url": reverse("duediligence:index"),
                "label": _("Due diligence: review queue and figures"),
            }
        )
    return links[:1] if len(links) == 2 else links
