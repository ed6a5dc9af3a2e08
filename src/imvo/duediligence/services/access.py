"""Who takes part in the due-diligence cycle: members (companies that are active
parties of the covenant) and reviewers (its secretariat), and what each sees."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Covenant, Organisation
from imvo.covenants.seams import (
    company_party_adherences,
    covenants_managed_by,
    require_secretariat,
)
from imvo.duediligence.models import Action, Submission


class NotFound(DomainError):
    """The object does not exist for the person asking (views answer 404)."""


def member_organisation(
    user: AnyUser, covenant: Covenant, *, active_only: bool = True
) -> Organisation | None:
    """The user's company when it is an active party in the covenant (or, with
    `active_only=False`, when it is or ever was a party)."""
    adherence = (
        company_party_adherences(roles.organisation_id(user), active_only=active_only)
        .filter(covenant=covenant)
        .select_related("organisation")
        .first()
    )
    return adherence.organisation if adherence else None


def member_covenants(user: AnyUser, *, active_only: bool = True) -> QuerySet[Covenant]:
    """Covenants in which the user's organisation is an active party (or, with
    `active_only=False`, is or ever was a party)."""
    parties = company_party_adherences(roles.organisation_id(user), active_only=active_only)
    return Covenant.objects.filter(pk__in=parties.values("covenant_id"))


# The reviewers of a covenant's submissions are its secretariat: covenants whose
# submissions the user reviews (all, for a platform admin), and the refusal of others.
reviewed_covenants = covenants_managed_by
require_reviewer = require_secretariat


def require_member(user: AnyUser, covenant: Covenant, refusal: str | None = None) -> Organisation:
    """The user's company, an active party of the covenant; else `refusal` (by default:
    only such a party keeps a due-diligence submission) as a PermissionDeniedError."""
    org = member_organisation(user, covenant)
    if org is None:
        raise PermissionDeniedError(
            refusal
            or _("Only an active party of this covenant can keep a due-diligence submission in it.")
        )
    return org


def reviewed_submissions(
    user: AnyUser, covenant: Covenant, year: int | None = None
) -> QuerySet[Submission]:
    """The covenant's submissions (of `year`, when given), for its secretariat only."""
    require_reviewer(user, covenant)
    qs = Submission.objects.filter(covenant=covenant).select_related("organisation", "framework")
    return qs.filter(year=year) if year else qs


def submissions_visible_to(user: AnyUser) -> QuerySet[Submission]:
    return Submission.objects.visible_to(user).select_related(
        "covenant", "organisation", "framework"
    )


def get_submission(user: AnyUser, pk: int) -> Submission:
    sub = submissions_visible_to(user).filter(pk=pk).first()
    if sub is None:
        raise NotFound(_("There is no such submission."))
    return sub


def can_review(user: AnyUser, submission: Submission) -> bool:
    return roles.is_secretariat(user, submission.covenant_id)


def can_edit(user: AnyUser, submission: Submission) -> bool:
    return (
        submission.editable_by_member
        and roles.organisation_id(user) == submission.organisation_id
        and member_organisation(user, submission.covenant) is not None
    )


def actions_visible_to(user: AnyUser) -> QuerySet[Action]:
    return Action.objects.visible_to(user).select_related("covenant", "organisation", "theme")
