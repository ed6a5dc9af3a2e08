"""The secretariat's side of the yearly cycle: the queue, the assessment (a score
per element, feedback), then either a request to revise or the decision for the
year, and the assessment letter that records it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser, signed_in
from imvo.core.errors import DomainError
from imvo.core.pdf import html_to_pdf
from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.duediligence.models import ElementReview, Submission, SubmissionVersion
from imvo.duediligence.services.access import (
    NotFound,
    can_review,
    require_reviewer,
    reviewed_submissions,
)
from imvo.duediligence.services.scoring import parse_score, scorecard
from imvo.duediligence.services.submissions import do_snapshot

ASSESSABLE = (Submission.Status.SUBMITTED, Submission.Status.UNDER_REVIEW)


def review_queue(
    user: AnyUser, covenant: Covenant, year: int | None = None
) -> QuerySet[Submission]:
    """Submissions of the year waiting for the secretariat, oldest first."""
    return reviewed_submissions(user, covenant, year).order_by("submitted_at", "organisation__name")


def members_not_started(user: AnyUser, covenant: Covenant, year: int) -> QuerySet[Organisation]:
    """Member companies (active parties) with no submission for the year, not even
    a draft: the queue lists them too, so nobody is forgotten (issue 17)."""
    require_reviewer(user, covenant)
    return not_started_in(covenant, year)


def not_started_in(covenant: Covenant, year: int) -> QuerySet[Organisation]:
    """`members_not_started` for trusted callers (the secretariat's follow-up counts)."""
    return (
        Organisation.objects.in_covenant(covenant, role=Adherence.Role.PARTY, active=True)
        .filter(type=Organisation.Type.COMPANY)
        .exclude(dd_submissions__covenant=covenant, dd_submissions__year=year)
        .order_by("name")
    )


def check_remind_not_started(user: AnyUser, covenant: Covenant, year: int) -> int:
    """Remind the members that have not started the year's submission, one mail per
    person (members never see each other's addresses); returns the people written to."""
    from django.core.mail import send_mail

    from imvo.accounts.models import User

    orgs = list(members_not_started(user, covenant, year))
    emails = sorted(
        set(
            User.objects.filter(organisation__in=orgs, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    for email in emails:
        send_mail(
            _("Reminder: your due-diligence report %(year)s for %(covenant)s")
            % {"year": year, "covenant": covenant.name},
            _(
                "The secretariat of %(covenant)s has not yet received your organisation's "
                "due-diligence report for %(year)s, not even a draft. Please start it on "
                "the platform."
            )
            % {"year": year, "covenant": covenant.name},
            None,
            [email],
        )
    return len(emails)


def improvements_overdue(
    user: AnyUser, covenant: Covenant, today: date | None = None
) -> QuerySet[Submission]:
    """Members whose latest decision fell short and whose improvement deadline has
    passed: candidates for the escalation path. A later decision supersedes an
    earlier one (and its deadline)."""
    require_reviewer(user, covenant)
    return overdue_improvements_in(covenant, today or timezone.localdate())


def overdue_improvements_in(covenant: Covenant, today: date) -> QuerySet[Submission]:
    """`improvements_overdue` for trusted callers (the secretariat's follow-up counts)."""
    decided_later = Submission.objects.filter(
        covenant=covenant,
        organisation=OuterRef("organisation"),
        year__gt=OuterRef("year"),
        status=Submission.Status.DECIDED,
    )
    return (
        Submission.objects.filter(
            covenant=covenant,
            status=Submission.Status.DECIDED,
            improvement_deadline__lt=today,
        )
        .exclude(decision=Submission.Decision.MEETS)
        .exclude(Exists(decided_later))
        .filter(
            organisation__adherences__covenant=covenant,
            organisation__adherences__status=Adherence.Status.ACTIVE,
        )
        .select_related("organisation")
        .order_by("improvement_deadline")
    )


# --- taking it into review -----------------------------------------------------------


def check_start_review(user: AnyUser, submission: Submission) -> Submission:
    require_reviewer(user, submission.covenant)
    if submission.status != Submission.Status.SUBMITTED:
        raise DomainError(_("Only a submitted submission can be taken into review."))
    return do_start_review(user, submission)


@transaction.atomic
def do_start_review(user: AnyUser, submission: Submission) -> Submission:
    submission.status = Submission.Status.UNDER_REVIEW
    submission.reviewer = signed_in(user)
    submission.save(update_fields=["status", "reviewer", "updated"])
    return submission


# --- assessing and deciding ---------------------------------------------------------


def _not_assessable(submission: Submission) -> DomainError:
    return DomainError(
        _("This submission is %(status)s; only a submitted one can be assessed.")
        % {"status": submission.get_status_display()}
    )


def check_review(
    user: AnyUser,
    submission: Submission,
    element_scores: Mapping[int, tuple[object, str]],
    feedback: str,
    outcome: str,
    decision: str = "",
    improvement_deadline: date | None = None,
) -> SubmissionVersion:
    """Score per element, write feedback, and either ask for revision or decide.

    outcome "revise": the member gets the feedback and may change and resubmit.
    outcome "decide": the decision is final for the year; a decision other than
    "meets" needs a deadline for improvement. An element score left blank
    removes the reviewer's score for that element.
    """
    # The stored state, not the caller's copy (it may predate a resubmission).
    submission = Submission.objects.select_related("covenant", "framework", "organisation").get(
        pk=submission.pk
    )
    require_reviewer(user, submission.covenant)
    if submission.status not in ASSESSABLE:
        raise _not_assessable(submission)
    elements = {e.pk: e for e in submission.framework.elements.all()}
    scores: dict[int, tuple[Decimal | None, str]] = {}
    for eid, (raw, comment) in element_scores.items():
        el = elements.get(eid)
        if el is None:
            raise DomainError(_("Element %(id)s is not part of this framework.") % {"id": eid})
        scores[eid] = (parse_score(raw, el.title), (comment or "").strip())
    feedback = (feedback or "").strip()
    if outcome == "revise":
        if not feedback:
            raise DomainError(_("Write feedback so the member knows what to revise."))
    elif outcome == "decide":
        if decision not in Submission.Decision.values:
            raise DomainError(_("Choose a decision: meets, meets partly or does not meet."))
        if decision != Submission.Decision.MEETS and improvement_deadline is None:
            raise DomainError(
                _("Set a deadline for improvement when the requirements are not fully met.")
            )
        if improvement_deadline and improvement_deadline <= timezone.localdate():
            raise DomainError(_("The improvement deadline must lie in the future."))
    else:
        raise DomainError(_("Choose whether to ask for revision or to decide."))
    return do_review(user, submission, scores, feedback, outcome, decision, improvement_deadline)


@transaction.atomic
def do_review(
    user: AnyUser,
    submission: Submission,
    element_scores: Mapping[int, tuple[Decimal | None, str]],
    feedback: str,
    outcome: str,
    decision: str,
    improvement_deadline: date | None,
) -> SubmissionVersion:
    """Write the element scores, the outcome and a version. The state is checked again
    under a row lock: two reviewers may decide at once."""
    submission = (
        Submission.objects.select_for_update()
        .select_related("covenant", "framework", "organisation")
        .get(pk=submission.pk)
    )
    if submission.status not in ASSESSABLE:
        raise _not_assessable(submission)
    for eid, (score, comment) in element_scores.items():
        if score is None:
            ElementReview.objects.filter(submission=submission, element_id=eid).delete()
            continue
        ElementReview.objects.update_or_create(
            submission=submission, element_id=eid, defaults={"score": score, "comment": comment}
        )
    card = scorecard(submission)
    submission.score = card.assessed_score
    submission.feedback = feedback
    submission.reviewer = signed_in(user)
    submission.improvement_deadline = improvement_deadline
    if outcome == "revise":
        submission.status = Submission.Status.REVISE
        submission.decision = ""
    else:
        submission.status = Submission.Status.DECIDED
        submission.decision = decision
        submission.decided_at = timezone.now()
    submission.save()
    return do_snapshot(submission, user)


# --- the letter ----------------------------------------------------------------------


def assessment_letter_pdf(user: AnyUser, submission: Submission) -> bytes:
    """The per-member assessment letter (decision, scores, feedback) as a PDF, for the
    secretariat and the member itself once decided."""
    if not (
        can_review(user, submission) or roles.organisation_id(user) == submission.organisation_id
    ):
        raise NotFound(_("There is no such submission."))
    if submission.status != Submission.Status.DECIDED:
        raise DomainError(_("The letter is available once the secretariat has decided."))
    html = render_to_string(
        "duediligence/letter.html",
        {"s": submission, "card": scorecard(submission), "today": timezone.localdate()},
    )
    return html_to_pdf(html)
