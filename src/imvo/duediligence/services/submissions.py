"""The member's yearly submission: started as a draft (answers carried over from
last year), answered, handed in; every handed-in or decided state kept as an
immutable version with the risk register and action plan of that moment."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.models import User
from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant, Organisation
from imvo.duediligence.models import (
    Answer,
    Framework,
    Question,
    RemediationCase,
    Submission,
    SubmissionVersion,
)
from imvo.duediligence.services.access import NotFound, can_edit, require_member
from imvo.duediligence.services.action_plan import action_as_dict, action_plan
from imvo.duediligence.services.frameworks import active_framework
from imvo.duediligence.services.scoring import LEVELS, YESNO_VALUES, scorecard
from imvo.risk.seams import entry_as_dict, register_entries


def risk_register(organisation: Organisation, covenant: Covenant) -> list[dict[str, Any]]:
    """The member's prioritised risks (from the risk engine) as JSON-able dicts.

    Read through ``imvo.risk.services.register_entries`` / ``entry_as_dict``.
    """
    return [entry_as_dict(e) for e in register_entries(organisation, covenant=covenant)]


# --- starting this year's draft --------------------------------------------------


def check_start_submission(user: AnyUser, covenant: Covenant, year: int) -> Submission:
    """Open this year's draft; answers of the member's previous submission are carried over.
    A submission the member already has for the year is returned as it is."""
    org = require_member(user, covenant)
    if year > timezone.localdate().year:
        raise DomainError(_("A submission for %(year)s cannot be started yet.") % {"year": year})
    if covenant.start_date and year < covenant.start_date.year:
        raise DomainError(
            _("The covenant started in %(start)s; there is no submission for %(year)s.")
            % {"start": covenant.start_date.year, "year": year}
        )
    existing = Submission.objects.filter(covenant=covenant, organisation=org, year=year).first()
    if existing:
        return existing
    fw = active_framework(covenant)
    if fw is None:
        raise DomainError(
            _("The secretariat has not yet published an assessment framework for this covenant.")
        )
    return do_start_submission(covenant, org, year, fw)


@transaction.atomic
def do_start_submission(
    covenant: Covenant, organisation: Organisation, year: int, framework: Framework
) -> Submission:
    sub = Submission.objects.create(
        covenant=covenant, organisation=organisation, year=year, framework=framework
    )
    previous = (
        Submission.objects.filter(
            covenant=covenant, organisation=organisation, framework=framework, year__lt=year
        )
        .order_by("-year")
        .first()
    )
    if previous:
        Answer.objects.bulk_create(
            Answer(
                submission=sub, question_id=a.question_id, value=a.value, explanation=a.explanation
            )
            for a in previous.answers.all()
        )
    return sub


# --- answering -------------------------------------------------------------------


def _not_editable(submission: Submission) -> DomainError:
    return DomainError(
        _(
            "This submission is %(status)s; it can only be changed as a draft or after "
            "feedback asking for revision."
        )
        % {"status": submission.get_status_display()}
    )


def _require_editable(user: AnyUser, submission: Submission) -> None:
    if not can_edit(user, submission):
        if roles.organisation_id(user) != submission.organisation_id:
            raise NotFound(_("There is no such submission."))
        raise _not_editable(submission)


def validate_answer(question: Question, value: str) -> str:
    """The answer as stored ("yes", "3", ...), or a DomainError naming the question."""
    value = (value or "").strip().lower()
    if value == "" or question.kind == Question.Kind.TEXT:
        # Open-text questions keep their answer in the explanation.
        return ""
    if question.kind == Question.Kind.YESNO and value not in YESNO_VALUES:
        raise DomainError(
            _("Question %(code)s: answer yes, partly or no (got %(v)s).")
            % {"code": question.code, "v": value}
        )
    if question.kind == Question.Kind.LEVEL and value not in LEVELS:
        raise DomainError(
            _("Question %(code)s: choose a maturity level from 1 to 5 (got %(v)s).")
            % {"code": question.code, "v": value}
        )
    return value


def check_save_answers(
    user: AnyUser, submission: Submission, answers: Mapping[int, tuple[str, str]]
) -> Submission:
    """Store answers {question id: (value, explanation)} in a draft or a submission under revision."""
    _require_editable(user, submission)
    questions = {
        q.pk: q for q in Question.objects.filter(element__framework_id=submission.framework_id)
    }
    clean: dict[Question, tuple[str, str]] = {}
    for qid, (value, explanation) in answers.items():
        q = questions.get(qid)
        if q is None:
            raise DomainError(_("Question %(id)s is not part of this framework.") % {"id": qid})
        clean[q] = (validate_answer(q, value), (explanation or "").strip())
    return do_save_answers(submission, clean)


@transaction.atomic
def do_save_answers(
    submission: Submission, answers: Mapping[Question, tuple[str, str]]
) -> Submission:
    for q, (value, explanation) in answers.items():
        Answer.objects.update_or_create(
            submission=submission,
            question=q,
            defaults={"value": value, "explanation": explanation},
        )
    submission.save(update_fields=["updated"])
    return submission


def missing_answers(submission: Submission) -> list[Question]:
    """Scored questions (weight above zero) still without an answer."""
    answered = {a.question_id for a in submission.answers.all() if a.value}
    return [
        q
        for q in Question.objects.filter(element__framework_id=submission.framework_id)
        .select_related("element")
        .order_by("element__order", "order")
        if q.kind != Question.Kind.TEXT and q.weight > 0 and q.pk not in answered
    ]


# --- handing in --------------------------------------------------------------------


def check_submit(user: AnyUser, submission: Submission) -> SubmissionVersion:
    """Hand the submission in for review; every scored question needs an answer."""
    # The stored state, not the caller's copy (it may predate a review).
    submission = Submission.objects.get(pk=submission.pk)
    _require_editable(user, submission)
    missing = missing_answers(submission)
    if missing:
        raise DomainError(
            _("Answer every question before submitting. Still open: %(list)s.")
            % {
                "list": "; ".join(f"{q.element.title}: {q.text}" for q in missing[:5])
                + (" …" if len(missing) > 5 else "")
            }
        )
    return do_submit(user, submission)


@transaction.atomic
def do_submit(user: AnyUser, submission: Submission) -> SubmissionVersion:
    """Write the self-score and the version. The state is checked again under a row
    lock: a second click must not hand it in twice."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not submission.editable_by_member:
        raise _not_editable(submission)
    card = scorecard(submission)
    submission.self_score = card.self_score
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save()
    return do_snapshot(submission, user)


def do_snapshot(submission: Submission, by: AnyUser = None) -> SubmissionVersion:
    """Keep what was handed in or decided as an immutable version."""
    card = scorecard(submission)
    answers = {
        a.question_id: a for a in submission.answers.select_related("question", "question__element")
    }
    questions = Question.objects.filter(
        element__framework_id=submission.framework_id
    ).select_related("element")
    data = {
        "covenant": submission.covenant.slug,
        "organisation": submission.organisation.name,
        "year": submission.year,
        "framework": submission.framework.name,
        "status": submission.status,
        "answers": [
            {
                "element": q.element.code,
                "question": q.code,
                "text": q.text,
                "value": answers[q.pk].value if q.pk in answers else "",
                "explanation": answers[q.pk].explanation if q.pk in answers else "",
            }
            for q in questions.order_by("element__order", "order")
        ],
        "elements": [
            {
                "code": r.element.code,
                "title": r.element.title,
                "weight": str(r.element.weight),
                "self_score": None if r.self_score is None else str(r.self_score),
                "review_score": None if r.review_score is None else str(r.review_score),
                "comment": r.comment,
            }
            for r in card.elements
        ],
        "self_score": None if card.self_score is None else str(card.self_score),
        "assessed_score": None if submission.score is None else str(submission.score),
        "feedback": submission.feedback,
        "decision": submission.decision,
        "improvement_deadline": (
            submission.improvement_deadline.isoformat() if submission.improvement_deadline else None
        ),
        "risk_register": risk_register(submission.organisation, submission.covenant),
        "action_plan": [action_as_dict(a) for a in action_plan(submission)],
        "remediation_cases": [
            {
                "opened": c.opened.isoformat(),
                "what_happened": c.what_happened,
                "affected": c.affected,
                "remedy": c.remedy,
                "status": c.status,
            }
            for c in RemediationCase.objects.filter(submission.of_same_member())
        ],
    }
    # Other apps' dicts (the risk register) may hold Decimals or dates: store them as text.
    data = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    number = (submission.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    return SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        status=submission.status,
        data=data,
        by=by if isinstance(by, User) else None,
    )
