"""Links on the signed-in start page for the people who handle or answer complaints."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts.services import committee_covenant_ids, managed_covenant_ids, organisation_id


def links_for(user: Any) -> list[dict[str, str]]:
    links: list[dict[str, str]] = []
    if committee_covenant_ids(user) or managed_covenant_ids(user):
        links.append({"url": reverse("complaints:cases"), "label": _("Complaint cases")})
        links.append(
            {"url": reverse("complaints:overdue"), "label": _("Complaints over their time limit")}
        )
    elif organisation_id(user):
        links.append(
            {"url": reverse("complaints:cases"), "label": _("Complaints about your company")}
        )
    links.append({"url": reverse("complaints:figures"), "label": _("Complaints in figures")})
    return links
