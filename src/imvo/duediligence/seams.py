"""What other apps may use of due diligence besides its models: who is a
member or reviewer, and the submissions a user may see (the regulation
exports are built from them), with the one "not found" they answer, and the
covenant a member's page is about (``member_covenant``)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from imvo.accounts.seams import AnyUser
from imvo.covenants.models import Covenant, Organisation
from imvo.duediligence.services.access import (
    NotFound,
    get_submission,
    member_covenants,
    member_organisation,
    require_member,
    require_reviewer,
    submissions_visible_to,
)

__all__ = [
    "NotFound",
    "get_submission",
    "member_covenant",
    "member_covenants",
    "member_organisation",
    "require_member",
    "require_reviewer",
    "submissions_visible_to",
]


def member_covenant(
    user: AnyUser, slug: str, *, active_only: bool = True
) -> tuple[Covenant, Organisation]:
    """The covenant `slug` and the user's company, for a member's pages: a company
    that is an active party of it (or, with `active_only=False`, is or ever was a
    party). Http404 for anyone else."""
    covenant = get_object_or_404(Covenant, slug=slug)
    org = member_organisation(user, covenant, active_only=active_only)
    if org is None:
        raise Http404
    return covenant, org
