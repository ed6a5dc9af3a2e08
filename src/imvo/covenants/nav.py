"""Start-page links of the covenants app: each party's own place, and the
secretariat's governance and membership pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.registry import NavLink


def links_for(user: AnyUser) -> list[NavLink]:
    from imvo.covenants.models import Organisation
    from imvo.covenants.services import covenants_managed_by
    from imvo.covenants.services.parties import own_organisation

    links: list[NavLink] = []
    org = own_organisation(user)
    if org is not None:
        T = Organisation.Type
        labels: dict[str, str] = {
            T.UNION: _("Your union's place: commitments, governance, obstacles, complaints"),
            T.NGO: _("Your NGO's place: commitments, governance, obstacles, complaints"),
            T.GOVERNMENT: _("Government: commitments, governance and the obstacles register"),
            T.BRANCH: _("Your branch organisation: your members' progress, governance"),
        }
        label = labels.get(org.type, _("Your commitments and the covenants' governance"))
        links.append(NavLink(reverse("covenants:workspace"), label))
    if roles.is_secretariat(user):
        for c in covenants_managed_by(user).order_by("name_en"):
            links.append(
                NavLink(
                    reverse("covenants:manage_governance", args=[c.slug]),
                    _("Governance: %(c)s") % {"c": c.name},
                )
            )
            links.append(
                NavLink(
                    reverse("covenants:applications", args=[c.slug]),
                    _("Applications to join: %(c)s") % {"c": c.name},
                )
            )
    return links
