"""Reporting links on the signed-in start page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.registry import NavLink


def links_for(user: AnyUser) -> list[NavLink]:
    links = [
        NavLink(reverse("reporting:overview"), _("Dashboards and progress reports")),
    ]
    if roles.is_secretariat(user):
        from imvo.covenants.seams import covenants_managed_by
        from imvo.reporting.services.build import report_years

        for covenant in covenants_managed_by(user).order_by("name_en"):
            years = report_years(covenant)
            if years:
                links.append(
                    NavLink(
                        reverse("reporting:draft", args=[covenant.slug, years[-1]]),
                        _("Progress report %(year)s: %(name)s")
                        % {"year": years[-1], "name": covenant.name},
                    )
                )
    return links
