"""Reporting links on the signed-in start page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from imvo.accounts import services as roles


def links_for(user: Any) -> list[dict[str, str]]:
    links = [
        {"url": reverse("reporting:overview"), "label": _("Dashboards and progress reports")},
        {"url": reverse("reporting:learning"), "label": _("Learning library")},
    ]
    if roles.is_secretariat(user):
        from imvo.covenants.services import covenants_managed_by
        from imvo.reporting.services import report_years

        for covenant in covenants_managed_by(user).order_by("name_en"):
            years = report_years(covenant)
            if years:
                links.append(
                    {
                        "url": reverse("reporting:draft", args=[covenant.slug, years[-1]]),
                        "label": _("Progress report %(year)s: %(name)s")
                        % {"year": years[-1], "name": covenant.name},
                    }
                )
    return links
