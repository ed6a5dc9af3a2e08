"""What other apps may use of covenants besides its models: finding covenants
(by key, for a user, for the public list, the one a
secretariat page is about: ``managed_covenant``, and ``secretariat_page``, the
decorator of such a page), the KPI progress of an agreement
(``KpiProgress``, a frozen dataclass; ``agreements_as_of`` a year's end), how a user's organisation takes part now
(``active_adherence``), adherence changes, and the version of
public data that caches key on, the refusal of anyone but the
secretariat (``require_secretariat``), the rule that a record names only its own
covenant's themes or the shared OECD chapters (``require_themes_of``), the decisions a letter may cite, and who
counts as a member company (``company_party_adherences``). Everything else in this app is its own."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from imvo.accounts.seams import AnyUser
from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.covenants.services import (
    KpiProgress,
    agreements_as_of,
    change_adherence,
    covenants_managed_by,
    covenants_visible_to,
    get_covenant,
    kpi_progress,
    progress_fraction,
    public_covenant_list,
    public_version,
    require_secretariat,
    require_themes_of,
)
from imvo.covenants.services.governance import citable_decisions
from imvo.covenants.services.parties import active_adherence

__all__ = [
    "KpiProgress",
    "active_adherence",
    "agreements_as_of",
    "change_adherence",
    "citable_decisions",
    "company_party_adherences",
    "covenants_managed_by",
    "covenants_visible_to",
    "get_covenant",
    "kpi_progress",
    "managed_covenant",
    "progress_fraction",
    "public_covenant_list",
    "public_version",
    "require_secretariat",
    "require_themes_of",
    "secretariat_page",
]


def company_party_adherences(
    organisation_id: int | None, *, active_only: bool = True
) -> QuerySet[Adherence]:
    """The organisation's adherences as a company that is a party (a member company):
    active ones, or every one it ever had with `active_only=False`. None: no rows."""
    if not organisation_id:
        return Adherence.objects.none()
    qs = Adherence.objects.filter(
        organisation_id=organisation_id,
        organisation__type=Organisation.Type.COMPANY,
        role=Adherence.Role.PARTY,
    )
    return qs.filter(status=Adherence.Status.ACTIVE) if active_only else qs


def managed_covenant(user: AnyUser, slug: str) -> Covenant:
    """The covenant `slug` when `user` is its secretariat (or a platform admin), for
    the secretariat's pages of every app. Http404 for anyone else, not 403: a page
    does not confirm what exists to those who may not manage it."""
    return get_object_or_404(covenants_managed_by(user), slug=slug)


def secretariat_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of a covenant's secretariat, in any app: the address names the
    covenant by its `slug`; the view is called with the covenant in its place,
    `def queue(request, covenant)`, once the user is signed in (else the login
    page) and manages it (else 404: `managed_covenant`). A view that answers POST
    only puts `@require_POST` below, so that whoever may not manage the covenant
    gets the 404 before the 405."""

    @login_required
    @wraps(view)
    def page(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        return view(request, managed_covenant(request.user, slug), **kwargs)

    return page
