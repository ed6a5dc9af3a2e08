"""Links on the signed-in start page for the people who handle or answer complaints."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts.services import (
    AnyUser,
    committee_covenant_ids,
    managed_covenant_ids,
    organisation_id,
)
from imvo.complaints.models import Complaint
from imvo.complaints.services import on_behalf
from imvo.core.registry import NavLink


def links_for(user: AnyUser) -> list[NavLink]:
    links: list[NavLink] = []
    if committee_covenant_ids(user) or managed_covenant_ids(user):
        links.append(NavLink(reverse("complaints:cases"), _("Complaint cases")))
        links.append(NavLink(reverse("complaints:overdue"), _("Complaints over their time limit")))
    elif (
        organisation_id(user)
        and getattr(getattr(user, "organisation", None), "type", "") == "company"
    ):
        links.append(NavLink(reverse("complaints:cases"), _("Complaints about your company")))
    if on_behalf.filing_organisation(user) is not None:
        links.append(
            NavLink(reverse("complaints:on_behalf"), _("File a complaint on behalf of workers"))
        )
    cases = reverse("complaints:cases")
    if all(link.url != cases for link in links) and Complaint.objects.visible_to(user).exists():
        # A substitute, a translator or an organisation that filed for workers.
        links.append(NavLink(cases, _("Complaint cases")))
    links.append(NavLink(reverse("complaints:figures"), _("Complaints in figures")))
    return links
