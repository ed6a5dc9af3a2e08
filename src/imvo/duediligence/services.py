"""Due-diligence domain logic: frameworks, yearly submissions, scoring, review, escalation.

Every function checks who is asking, so views, API, CLI and demo behave the same:

- a *member* is a user whose company has an active *party* adherence in the
  covenant (unions, NGOs, government and branch organisations are parties too,
  but the yearly due-diligence submission is the companies' obligation); it sees and edits only its own organisation's submissions, action
  plan and remediation cases;
- a *reviewer* is the covenant's secretariat (``is_secretariat(user, covenant)``);
  it sees only the covenants it serves.

Anything else is reported as "not found" (views answer 404), never as "not yours".

Scoring is deterministic (Decimal arithmetic, half-up rounding to 2 decimals):

- a yes/no answer counts 1 (yes), 0.5 (partly) or 0 (no or unanswered);
- a maturity level L (1-5) counts (L - 1) / 4;
- open-text questions are not scored;
- an element's score is the question-weighted mean of its answers, times 100;
- the total is the element-weighted mean of the element scores (weights are
  relative, so a framework whose weights do not add up to 100 still scores 0-100).

The reviewer may set a different score per element (with a comment); the
*assessed* score uses the reviewer's element scores where given, else the
score from the answers. The suggested decision follows the framework's
thresholds; the reviewer decides.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts import services as roles
from imvo.core import uploads
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.uploads import UploadPolicy
from imvo.covenants.models import Adherence, Agreement, Covenant, Organisation
from imvo.duediligence.frameworks import TEMPLATES
from imvo.duediligence.models import (
    Action,
    Answer,
    Element,
    ElementReview,
    EscalationStep,
    Framework,
    OecdStep,
    ProgressUpdate,
    Question,
    RemediationCase,
    Submission,
    SubmissionVersion,
)

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
YESNO_VALUES = {"yes": Decimal(1), "partly": Decimal("0.5"), "no": Decimal(0)}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Evidence of progress: documents and photos, judged by their content (core.uploads),
# so bytes that merely carry a .pdf name are refused.
EVIDENCE_POLICY = UploadPolicy(types=uploads.DOCUMENTS, max_bytes=EVIDENCE_MAX_BYTES)
# Progress within 10 percentage points of the time elapsed still counts as on track.
ON_TRACK_TOLERANCE = 10


class NotFound(DomainError):
    """The object does not exist for the person asking (views answer 404)."""


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- who may do what ----------------------------------------------------------


def member_organisation(user: Any, covenant: Covenant) -> Organisation | None:
    """The user's company when it is an active party in the covenant."""
    oid = roles.organisation_id(user)
    if not oid:
        return None
    adherence = (
        Adherence.objects.filter(
            covenant=covenant,
            organisation_id=oid,
            organisation__type=Organisation.Type.COMPANY,
            role=Adherence.Role.PARTY,
            status=Adherence.Status.ACTIVE,
        )
        .select_related("organisation")
        .first()
    )
    return adherence.organisation if adherence else None


def member_covenants(user: Any) -> QuerySet[Covenant]:
    """Covenants in which the user's organisation is an active party."""
    oid = roles.organisation_id(user)
    if not oid:
        return Covenant.objects.none()
    return Covenant.objects.filter(
        adherences__organisation_id=oid,
        adherences__organisation__type=Organisation.Type.COMPANY,
        adherences__role=Adherence.Role.PARTY,
        adherences__status=Adherence.Status.ACTIVE,
    ).distinct()


def reviewed_covenants(user: Any) -> QuerySet[Covenant]:
    if roles.is_platform_admin(user):
        return Covenant.objects.all()
    return Covenant.objects.filter(pk__in=roles.managed_covenant_ids(user))


def require_reviewer(user: Any, covenant: Covenant) -> None:
    if not roles.is_secretariat(user, covenant):
        raise PermissionDeniedError(_("Only the covenant's secretariat can do this."))


def require_member(user: Any, covenant: Covenant) -> Organisation:
    org = member_organisation(user, covenant)
    if org is None:
        raise PermissionDeniedError(
            _("Only an active party of this covenant can keep a due-diligence submission in it.")
        )
    return org


def submissions_visible_to(user: Any) -> QuerySet[Submission]:
    return Submission.objects.visible_to(user).select_related(
        "covenant", "organisation", "framework"
    )


def get_submission(user: Any, pk: int) -> Submission:
    sub = submissions_visible_to(user).filter(pk=pk).first()
    if sub is None:
        raise NotFound(_("There is no such submission."))
    return sub


def can_review(user: Any, submission: Submission) -> bool:
    return roles.is_secretariat(user, submission.covenant_id)


def can_edit(user: Any, submission: Submission) -> bool:
    return (
        submission.editable_by_member
        and roles.organisation_id(user) == submission.organisation_id
        and member_organisation(user, submission.covenant) is not None
    )


def actions_visible_to(user: Any) -> QuerySet[Action]:
    return Action.objects.visible_to(user).select_related("covenant", "organisation", "theme")


# --- frameworks -----------------------------------------------------------------


@transaction.atomic
def install_framework(
    user: Any, covenant: Covenant, template: str, activate: bool = True
) -> Framework:
    """Copy a ready-made framework into the covenant; the secretariat may then adapt it."""
    require_reviewer(user, covenant)
    spec = TEMPLATES.get(template)
    if spec is None:
        raise DomainError(
            _("Unknown framework template %(t)s; choose one of: %(all)s.")
            % {"t": template, "all": ", ".join(sorted(TEMPLATES))}
        )
    code = template
    n = 1
    while Framework.objects.filter(covenant=covenant, code=code).exists():
        n += 1
        code = f"{template}-{n}"
    if activate:
        Framework.objects.filter(covenant=covenant).update(active=False)
    fw = Framework.objects.create(
        covenant=covenant,
        code=code,
        name=spec["name"],
        kind=spec["kind"],
        description=spec["description"],
        meets_threshold=Decimal(spec["meets"]),
        partly_threshold=Decimal(spec["partly"]),
        active=activate,
    )
    for i, (ecode, step, title, weight, questions) in enumerate(spec["elements"], start=1):
        el = Element.objects.create(
            framework=fw, code=ecode, order=i, oecd_step=step, title=title, weight=Decimal(weight)
        )
        Question.objects.bulk_create(
            Question(
                element=el,
                code=qcode,
                order=j,
                kind=kind,
                text=text,
                help=help_,
                weight=Decimal(qw),
            )
            for j, (qcode, kind, text, help_, qw) in enumerate(questions, start=1)
        )
    return fw


def active_framework(covenant: Covenant) -> Framework | None:
    return Framework.objects.filter(covenant=covenant, active=True).order_by("-created").first()


MAX_WEIGHT = Decimal("999.99")


def _valid_weight(w: Decimal) -> bool:
    """Weights run from 0 to 999.99 (what the weight columns hold)."""
    return w.is_finite() and Decimal(0) <= w <= MAX_WEIGHT


def framework_frozen(framework: Framework) -> bool:
    """A framework used in a decided submission no longer changes: a published score
    must remain reproducible. The secretariat installs a new one for the next year."""
    return framework.submissions.filter(status=Submission.Status.DECIDED).exists()


def _require_changeable(user: Any, framework: Framework) -> None:
    require_reviewer(user, framework.covenant)
    if framework_frozen(framework):
        raise DomainError(
            _(
                "This framework has decided submissions and can no longer change. "
                "Install a new framework for the next year."
            )
        )


@transaction.atomic
def add_element(
    user: Any, framework: Framework, title: str, oecd_step: int, weight: Decimal
) -> Element:
    """Add an assessed element on one OECD step to the covenant's framework."""
    _require_changeable(user, framework)
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the element a title."))
    if oecd_step not in OecdStep.values:
        raise DomainError(_("Choose one of the six OECD steps."))
    if not _valid_weight(weight):
        raise DomainError(
            _("The weight of %(el)s must be a number from 0 to 999.99.") % {"el": title}
        )
    base = slugify(title)[:50] or "element"
    code, n = base, 1
    while framework.elements.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    order = (framework.elements.aggregate(m=Max("order"))["m"] or 0) + 1
    return Element.objects.create(
        framework=framework,
        code=code,
        order=order,
        oecd_step=oecd_step,
        title=title,
        weight=weight,
    )


@transaction.atomic
def add_question(
    user: Any,
    element: Element,
    text: str,
    kind: str,
    weight: Decimal = Decimal(1),
    help: str = "",
) -> Question:
    """Add a question to an element of the covenant's framework."""
    _require_changeable(user, element.framework)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write the question."))
    if kind not in Question.Kind.values:
        raise DomainError(_("Choose the kind of question."))
    if not _valid_weight(weight):
        raise DomainError(_("Question %(pk)s: give a weight from 0 to 999.99.") % {"pk": text[:40]})
    existing = set(
        Question.objects.filter(element__framework=element.framework).values_list("code", flat=True)
    )
    base = slugify(text)[:40] or "question"
    code, n = base, 1
    while code in existing:
        n += 1
        code = f"{base}-{n}"
    order = (element.questions.aggregate(m=Max("order"))["m"] or 0) + 1
    return Question.objects.create(
        element=element,
        code=code,
        order=order,
        text=text,
        kind=kind,
        weight=weight,
        help=(help or "").strip(),
    )


@transaction.atomic
def remove_question(user: Any, question: Question) -> None:
    """Remove a question nobody has answered yet."""
    _require_changeable(user, question.element.framework)
    if question.answers.exclude(value="", explanation="").exists():
        raise DomainError(
            _("Members have already answered this question; set its weight to 0 instead.")
        )
    question.answers.all().delete()
    question.delete()


@transaction.atomic
def set_weights(
    user: Any,
    framework: Framework,
    element_weights: Mapping[int, Decimal],
    question_weights: Mapping[int, Decimal] | None = None,
) -> Framework:
    """Change the weights of a framework's elements and questions (secretariat only).

    Weights of a framework already used in a decided submission stay as they
    were: a published score must remain reproducible. Install a new framework
    for the next year instead.
    """
    _require_changeable(user, framework)
    elements = {e.pk: e for e in framework.elements.all()}
    for pk, w in element_weights.items():
        if pk not in elements:
            raise DomainError(_("Element %(pk)s is not part of this framework.") % {"pk": pk})
        if not _valid_weight(w):
            raise DomainError(
                _("The weight of %(el)s must be a number from 0 to 999.99.")
                % {"el": elements[pk].title}
            )
        elements[pk].weight = w
        elements[pk].save(update_fields=["weight"])
    if sum(e.weight for e in elements.values()) <= 0:
        raise DomainError(_("At least one element needs a weight above zero."))
    if question_weights:
        qs = {q.pk: q for q in Question.objects.filter(element__framework=framework)}
        for pk, w in question_weights.items():
            if pk not in qs or not _valid_weight(w):
                raise DomainError(
                    _("Question %(pk)s: give a weight from 0 to 999.99.") % {"pk": pk}
                )
            qs[pk].weight = w
            qs[pk].save(update_fields=["weight"])
    return framework


# --- scoring --------------------------------------------------------------------


def answer_fraction(kind: str, value: str) -> Decimal | None:
    """The share (0..1) of a question's points an answer earns; None when not scored."""
    if kind == Question.Kind.TEXT:
        return None
    value = (value or "").strip().lower()
    if kind == Question.Kind.YESNO:
        return YESNO_VALUES.get(value, Decimal(0))
    if kind == Question.Kind.LEVEL:
        if value in {"1", "2", "3", "4", "5"}:
            return (Decimal(value) - 1) / 4
        return Decimal(0)
    raise DomainError(_("Unknown question kind %(k)s.") % {"k": kind})


def element_score(questions: Iterable[Question], answers: Mapping[int, str]) -> Decimal | None:
    """Question-weighted share of points earned, 0-100; None for an element without scored questions."""
    total_w = Decimal(0)
    earned = Decimal(0)
    for q in questions:
        f = answer_fraction(q.kind, answers.get(q.pk, ""))
        if f is None or q.weight <= 0:
            continue
        total_w += q.weight
        earned += q.weight * f
    if total_w == 0:
        return None
    return _q(earned / total_w * HUNDRED)


def total_score(weighted: Iterable[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Element-weighted mean of (weight, score) pairs; elements without a score are left out."""
    total_w = Decimal(0)
    s = Decimal(0)
    for weight, score in weighted:
        if score is None or weight <= 0:
            continue
        total_w += weight
        s += weight * score
    if total_w == 0:
        return None
    return _q(s / total_w)


@dataclass(frozen=True)
class ElementResult:
    element: Element
    self_score: Decimal | None
    review_score: Decimal | None
    comment: str

    @property
    def score(self) -> Decimal | None:
        return self.review_score if self.review_score is not None else self.self_score

    @property
    def weight_share(self) -> Decimal:
        return self.element.weight


@dataclass(frozen=True)
class Scorecard:
    elements: list[ElementResult]
    self_score: Decimal | None
    assessed_score: Decimal | None
    suggested_decision: str


def suggested_decision(framework: Framework, score: Decimal | None) -> str:
    if score is None:
        return ""
    if score >= framework.meets_threshold:
        return Submission.Decision.MEETS
    if score >= framework.partly_threshold:
        return Submission.Decision.PARTLY
    return Submission.Decision.NOT_MEET


def scorecard(submission: Submission) -> Scorecard:
    """Scores per element and in total, from the answers and the reviewer's element scores."""
    elements = list(submission.framework.elements.prefetch_related("questions"))
    answers = {a.question_id: a.value for a in submission.answers.all()}
    reviews = {r.element_id: r for r in submission.element_reviews.all()}
    results = []
    for el in elements:
        r = reviews.get(el.pk)
        results.append(
            ElementResult(
                element=el,
                self_score=element_score(el.questions.all(), answers),
                review_score=r.score if r else None,
                comment=r.comment if r else "",
            )
        )
    self_total = total_score((r.element.weight, r.self_score) for r in results)
    assessed = total_score((r.element.weight, r.score) for r in results)
    return Scorecard(
        results, self_total, assessed, suggested_decision(submission.framework, assessed)
    )


# --- risk register (from the risk engine, when it is installed) -------------------


def risk_register(organisation: Organisation, covenant: Covenant) -> list[dict[str, Any]]:
    """The member's prioritised risks (from the risk engine) as JSON-able dicts.

    Read through ``imvo.risk.services.register_entries`` / ``entry_as_dict``.
    """
    from imvo.risk.services import entry_as_dict, register_entries

    return [entry_as_dict(e) for e in register_entries(organisation, covenant=covenant)]


# --- member side ----------------------------------------------------------------


@transaction.atomic
def start_submission(user: Any, covenant: Covenant, year: int) -> Submission:
    """Open this year's draft; answers of the member's previous submission are carried over."""
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
    sub = Submission.objects.create(covenant=covenant, organisation=org, year=year, framework=fw)
    previous = (
        Submission.objects.filter(covenant=covenant, organisation=org, framework=fw, year__lt=year)
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


def _require_editable(user: Any, submission: Submission) -> None:
    if not can_edit(user, submission):
        if roles.organisation_id(user) != submission.organisation_id:
            raise NotFound(_("There is no such submission."))
        raise DomainError(
            _(
                "This submission is %(status)s; it can only be changed as a draft or after "
                "feedback asking for revision."
            )
            % {"status": submission.get_status_display()}
        )


def validate_answer(question: Question, value: str) -> str:
    value = (value or "").strip().lower()
    if value == "" or question.kind == Question.Kind.TEXT:
        # Open-text questions keep their answer in the explanation.
        return ""
    if question.kind == Question.Kind.YESNO and value not in YESNO_VALUES:
        raise DomainError(
            _("Question %(code)s: answer yes, partly or no (got %(v)s).")
            % {"code": question.code, "v": value}
        )
    if question.kind == Question.Kind.LEVEL and value not in {"1", "2", "3", "4", "5"}:
        raise DomainError(
            _("Question %(code)s: choose a maturity level from 1 to 5 (got %(v)s).")
            % {"code": question.code, "v": value}
        )
    return value


@transaction.atomic
def save_answers(
    user: Any, submission: Submission, answers: Mapping[int, tuple[str, str]]
) -> Submission:
    """Store answers {question id: (value, explanation)} in a draft or a submission under revision."""
    _require_editable(user, submission)
    questions = {
        q.pk: q for q in Question.objects.filter(element__framework_id=submission.framework_id)
    }
    for qid, (value, explanation) in answers.items():
        q = questions.get(qid)
        if q is None:
            raise DomainError(_("Question %(id)s is not part of this framework.") % {"id": qid})
        clean = validate_answer(q, value)
        Answer.objects.update_or_create(
            submission=submission,
            question=q,
            defaults={"value": clean, "explanation": (explanation or "").strip()},
        )
    submission.save(update_fields=["updated"])
    return submission


def missing_answers(submission: Submission) -> list[Question]:
    answered = {a.question_id for a in submission.answers.all() if a.value}
    return [
        q
        for q in Question.objects.filter(element__framework_id=submission.framework_id)
        .select_related("element")
        .order_by("element__order", "order")
        if q.kind != Question.Kind.TEXT and q.weight > 0 and q.pk not in answered
    ]


def snapshot(submission: Submission, by: Any = None) -> SubmissionVersion:
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
            for c in RemediationCase.objects.filter(
                covenant_id=submission.covenant_id, organisation_id=submission.organisation_id
            )
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
        by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def submit(user: Any, submission: Submission) -> SubmissionVersion:
    """Hand the submission in for review; every scored question needs an answer."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
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
    card = scorecard(submission)
    submission.self_score = card.self_score
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save()
    return snapshot(submission, user)


# --- action plan ------------------------------------------------------------------


def action_plan(submission: Submission) -> QuerySet[Action]:
    """The actions of the member in the covenant that run in the submission's year."""
    return (
        Action.objects.filter(
            covenant_id=submission.covenant_id,
            organisation_id=submission.organisation_id,
            start__year__lte=submission.year,
            deadline__year__gte=submission.year,
        )
        .select_related("theme")
        .prefetch_related("agreements")
    )


def action_status(action: Action, today: date | None = None) -> str:
    """done / dropped / overdue / on_track / behind (a linear path from start to deadline)."""
    today = today or timezone.localdate()
    if action.status == Action.Status.DONE or action.progress >= 100:
        return "done"
    if action.status == Action.Status.DROPPED:
        return "dropped"
    if today > action.deadline:
        return "overdue"
    span = (action.deadline - action.start).days
    expected = 100 if span <= 0 else max(0, min(100, (today - action.start).days * 100 // span))
    return "on_track" if action.progress + ON_TRACK_TOLERANCE >= expected else "behind"


ACTION_STATUS_LABELS = {
    "done": gettext_lazy("Done"),
    "dropped": gettext_lazy("Dropped"),
    "overdue": gettext_lazy("Overdue"),
    "on_track": gettext_lazy("On track"),
    "behind": gettext_lazy("Behind"),
}


def action_as_dict(a: Action) -> dict[str, Any]:
    return {
        "id": a.pk,
        "theme": a.theme.code if a.theme else None,
        "risk": a.risk,
        "what": a.what,
        "owner": a.owner,
        "start": a.start.isoformat(),
        "deadline": a.deadline.isoformat(),
        "target": a.target,
        "budget": None if a.budget is None else str(a.budget),
        "agreements": [ag.number for ag in a.agreements.all()],
        "status": a.status,
        "progress": a.progress,
        "tracking": action_status(a),
    }


@transaction.atomic
def save_action(
    user: Any,
    covenant: Covenant,
    action: Action | None = None,
    agreements: Iterable[Agreement] = (),
    **fields: Any,
) -> Action:
    """Create or change a SMART action of the member's action plan."""
    org = require_member(user, covenant)
    if action is None:
        action = Action(covenant=covenant, organisation=org)
    elif action.organisation_id != org.pk or action.covenant_id != covenant.pk:
        raise NotFound(_("There is no such action."))
    for k, v in fields.items():
        setattr(action, k, v)
    for name, label in (
        ("what", _("what will be done")),
        ("owner", _("owner")),
        ("target", _("measurable target")),
    ):
        if not str(getattr(action, name) or "").strip():
            raise DomainError(_("Fill in %(field)s: an action must be SMART.") % {"field": label})
    if action.deadline is None:
        raise DomainError(_("Give the action a deadline."))
    if action.start and action.deadline < action.start:
        raise DomainError(_("The deadline cannot be before the start."))
    if action.budget is not None and action.budget < 0:
        raise DomainError(_("The budget cannot be negative."))
    if action.theme_id and action.theme and action.theme.covenant_id not in (None, covenant.pk):
        raise DomainError(_("A theme of another covenant cannot be linked."))
    agreements = list(agreements)
    if any(ag.covenant_id != covenant.pk for ag in agreements):
        raise DomainError(_("Only this covenant's agreements can be linked."))
    action.save()
    action.agreements.set(agreements)
    return action


def _check_evidence(f: UploadedFile[bytes]) -> None:
    """Type, content and size of an evidence file, by the one upload policy."""
    name = f.name or "evidence"
    EVIDENCE_POLICY.check_size(name, f.size or 0)  # before reading it into memory
    f.seek(0)
    EVIDENCE_POLICY.check(name, f.read())
    f.seek(0)


@transaction.atomic
def add_progress(
    user: Any,
    action: Action,
    progress: int,
    text: str,
    evidence: UploadedFile[bytes] | None = None,
    on: date | None = None,
) -> ProgressUpdate:
    """Report progress on an action, with evidence; moves the action's status along."""
    org = require_member(user, action.covenant)
    if action.organisation_id != org.pk:
        raise NotFound(_("There is no such action."))
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress is a percentage from 0 to 100."))
    if not text.strip():
        raise DomainError(_("Say what happened since the last update."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("A progress update cannot be dated in the future."))
    if evidence is not None:
        _check_evidence(evidence)
    upd = ProgressUpdate(action=action, date=on, progress=progress, text=text.strip(), by=user)
    if evidence is not None:
        upd.evidence.save(PurePath(evidence.name or "evidence").name, evidence, save=False)
    upd.save()
    action.progress = progress
    if progress >= 100:
        action.status = Action.Status.DONE
    elif action.status == Action.Status.PLANNED and progress > 0:
        action.status = Action.Status.IN_PROGRESS
    action.save(update_fields=["progress", "status"])
    return upd


@transaction.atomic
def save_case(
    user: Any, covenant: Covenant, case: RemediationCase | None = None, **fields: Any
) -> RemediationCase:
    """Record or update a remediation case (what happened, who was affected, what remedy)."""
    org = require_member(user, covenant)
    if case is None:
        case = RemediationCase(covenant=covenant, organisation=org)
    elif case.organisation_id != org.pk or case.covenant_id != covenant.pk:
        raise NotFound(_("There is no such case."))
    for k, v in fields.items():
        setattr(case, k, v)
    if not case.what_happened.strip() or not case.affected.strip():
        raise DomainError(_("Say what happened and who was affected."))
    if case.status == RemediationCase.Status.REMEDIED and not case.remedy.strip():
        raise DomainError(_("Describe the remedy before marking the case remedied."))
    if case.action_id and case.action and case.action.organisation_id != org.pk:
        raise DomainError(_("Link one of your own actions."))
    case.save()
    return case


# --- secretariat: review ---------------------------------------------------------


def review_queue(user: Any, covenant: Covenant, year: int | None = None) -> QuerySet[Submission]:
    """Submissions of the year waiting for the secretariat, oldest first."""
    require_reviewer(user, covenant)
    qs = Submission.objects.filter(covenant=covenant).select_related("organisation", "framework")
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("submitted_at", "organisation__name")


def improvements_overdue(
    user: Any, covenant: Covenant, today: date | None = None
) -> QuerySet[Submission]:
    """Members whose latest decision fell short and whose improvement deadline has
    passed: candidates for the escalation path. A later decision supersedes an
    earlier one (and its deadline)."""
    require_reviewer(user, covenant)
    today = today or timezone.localdate()
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


@transaction.atomic
def start_review(user: Any, submission: Submission) -> Submission:
    require_reviewer(user, submission.covenant)
    if submission.status != Submission.Status.SUBMITTED:
        raise DomainError(_("Only a submitted submission can be taken into review."))
    submission.status = Submission.Status.UNDER_REVIEW
    submission.reviewer = user
    submission.save(update_fields=["status", "reviewer", "updated"])
    return submission


def _parse_score(value: Any, where: str) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise DomainError(
            _("%(where)s: %(v)s is not a number.") % {"where": where, "v": value}
        ) from None
    if not d.is_finite() or not Decimal(0) <= d <= HUNDRED:
        raise DomainError(_("%(where)s: a score runs from 0 to 100.") % {"where": where})
    return _q(d)


@transaction.atomic
def review(
    user: Any,
    submission: Submission,
    element_scores: Mapping[int, tuple[Any, str]],
    feedback: str,
    outcome: str,
    decision: str = "",
    improvement_deadline: date | None = None,
) -> SubmissionVersion:
    """Score per element, write feedback, and either ask for revision or decide.

    outcome "revise": the member gets the feedback and may change and resubmit.
    outcome "decide": the decision is final for the year; a decision other than
    "meets" needs a deadline for improvement.
    """
    submission = (
        Submission.objects.select_for_update()
        .select_related("covenant", "framework", "organisation")
        .get(pk=submission.pk)
    )
    require_reviewer(user, submission.covenant)
    if submission.status not in (Submission.Status.SUBMITTED, Submission.Status.UNDER_REVIEW):
        raise DomainError(
            _("This submission is %(status)s; only a submitted one can be assessed.")
            % {"status": submission.get_status_display()}
        )
    elements = {e.pk: e for e in submission.framework.elements.all()}
    for eid, (raw, comment) in element_scores.items():
        el = elements.get(eid)
        if el is None:
            raise DomainError(_("Element %(id)s is not part of this framework.") % {"id": eid})
        score = _parse_score(raw, el.title)
        if score is None:
            ElementReview.objects.filter(submission=submission, element=el).delete()
            continue
        ElementReview.objects.update_or_create(
            submission=submission,
            element=el,
            defaults={"score": score, "comment": (comment or "").strip()},
        )
    feedback = (feedback or "").strip()
    card = scorecard(submission)
    submission.score = card.assessed_score
    submission.feedback = feedback
    submission.reviewer = user
    if outcome == "revise":
        if not feedback:
            raise DomainError(_("Write feedback so the member knows what to revise."))
        submission.status = Submission.Status.REVISE
        submission.decision = ""
        submission.improvement_deadline = improvement_deadline
    elif outcome == "decide":
        if decision not in Submission.Decision.values:
            raise DomainError(_("Choose a decision: meets, meets partly or does not meet."))
        if decision != Submission.Decision.MEETS and improvement_deadline is None:
            raise DomainError(
                _("Set a deadline for improvement when the requirements are not fully met.")
            )
        if improvement_deadline and improvement_deadline <= timezone.localdate():
            raise DomainError(_("The improvement deadline must lie in the future."))
        submission.status = Submission.Status.DECIDED
        submission.decision = decision
        submission.improvement_deadline = improvement_deadline
        submission.decided_at = timezone.now()
    else:
        raise DomainError(_("Choose whether to ask for revision or to decide."))
    submission.save()
    return snapshot(submission, user)


# --- escalation -----------------------------------------------------------------

ESCALATION_ORDER = [
    EscalationStep.Step.DIALOGUE,
    EscalationStep.Step.FORMAL_NOTICE,
    EscalationStep.Step.SUSPENSION,
    EscalationStep.Step.REFERRAL,
    EscalationStep.Step.EXCLUSION,
]


@transaction.atomic
def record_escalation(
    user: Any,
    covenant: Covenant,
    organisation: Organisation,
    step: str,
    reason: str,
    on: date | None = None,
    deadline: date | None = None,
    submission: Submission | None = None,
) -> EscalationStep:
    """Record a step on the escalation path, with its date and reason.

    Steps may be skipped (a serious breach can go straight to formal notice)
    but the path is never walked back except by "resolved". Suspension
    suspends the member's adherence, exclusion withdraws it, and "resolved"
    reinstates a suspended member; each through
    ``imvo.covenants.services.change_adherence`` so the adherence history
    shows it.
    """
    from imvo.covenants.services import change_adherence

    require_reviewer(user, covenant)
    if step not in EscalationStep.Step.values:
        raise DomainError(_("Unknown escalation step %(s)s.") % {"s": step})
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for this escalation step."))
    adherence = Adherence.objects.filter(covenant=covenant, organisation=organisation).first()
    if adherence is None:
        raise NotFound(_("This organisation does not take part in the covenant."))
    on = on or timezone.localdate()
    if deadline and deadline < on:
        raise DomainError(_("The deadline cannot be before the step's date."))
    if submission and (
        submission.covenant_id != covenant.pk or submission.organisation_id != organisation.pk
    ):
        raise DomainError(_("Link a submission of this member in this covenant."))
    current = current_escalation(covenant, organisation)
    if current == EscalationStep.Step.EXCLUSION:
        raise DomainError(_("This member has been excluded; no further step is possible."))
    if (
        step != EscalationStep.Step.RESOLVED
        and current in ESCALATION_ORDER
        and ESCALATION_ORDER.index(step) < ESCALATION_ORDER.index(current)  # type: ignore[arg-type]
    ):
        raise DomainError(
            _("The member is already at %(current)s; record a later step or mark it resolved.")
            % {"current": EscalationStep.Step(current).label}
        )
    record = EscalationStep.objects.create(
        covenant=covenant,
        organisation=organisation,
        step=step,
        date=on,
        reason=reason.strip(),
        deadline=deadline,
        submission=submission,
        by=user,
    )
    if step == EscalationStep.Step.SUSPENSION:
        change_adherence(user, adherence, Adherence.Status.SUSPENDED, on=on, reason=reason)
    elif step == EscalationStep.Step.EXCLUSION:
        change_adherence(user, adherence, Adherence.Status.WITHDRAWN, on=on, reason=reason)
    elif step == EscalationStep.Step.RESOLVED and adherence.status == Adherence.Status.SUSPENDED:
        change_adherence(user, adherence, Adherence.Status.ACTIVE, on=on, reason=reason)
    return record


def current_escalation(covenant: Covenant, organisation: Organisation) -> str | None:
    last = (
        EscalationStep.objects.filter(covenant=covenant, organisation=organisation)
        .order_by("-date", "-id")
        .first()
    )
    if last is None or last.step == EscalationStep.Step.RESOLVED:
        return None
    return last.step


def escalations(user: Any, covenant: Covenant) -> QuerySet[EscalationStep]:
    require_reviewer(user, covenant)
    return EscalationStep.objects.filter(covenant=covenant).select_related("organisation", "by")


# --- covenant figures -------------------------------------------------------------


def member_companies(covenant: Covenant, year: int) -> list[int]:
    """Companies that were parties during the year (the population to be assessed)."""
    ys, ye = date(year, 1, 1), date(year, 12, 31)
    return list(
        Adherence.objects.filter(
            covenant=covenant,
            role=Adherence.Role.PARTY,
            organisation__type=Organisation.Type.COMPANY,
            since__lte=ye,
        )
        .exclude(until__lt=ys)
        .values_list("organisation_id", flat=True)
    )


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def covenant_figures(covenant: Covenant, years: Iterable[int] | None = None) -> dict[str, Any]:
    """Aggregates per year: share assessed and meeting the requirements, mean score per
    element, themes most often prioritised in action plans, actions on track.

    Aggregates only, no company named: this feeds the public progress report.
    """
    subs = list(
        Submission.objects.filter(covenant=covenant).prefetch_related("element_reviews", "answers")
    )
    all_years = sorted({s.year for s in subs} | set(years or []))
    elements_by_fw: dict[int, list[Element]] = defaultdict(list)
    for el in (
        Element.objects.filter(framework__covenant=covenant)
        .prefetch_related("questions")
        .order_by("order")
    ):
        elements_by_fw[el.framework_id].append(el)
    per_year = []
    for y in all_years:
        ys = [s for s in subs if s.year == y]
        # Who had to hand in: companies that were parties during the year, plus anyone
        # who did hand in (a member that joined late in the year still counts).
        members = len(set(member_companies(covenant, y)) | {s.organisation_id for s in ys})
        decided = [s for s in ys if s.status == Submission.Status.DECIDED]
        counts = Counter(s.decision for s in decided)
        element_scores: dict[str, list[Decimal]] = defaultdict(list)
        for s in decided:
            # The element score the decision rests on: the reviewer's, else the answers'.
            reviews = {r.element_id: r.score for r in s.element_reviews.all()}
            answers = {a.question_id: a.value for a in s.answers.all()}
            for el in elements_by_fw[s.framework_id]:
                score = reviews.get(el.pk)
                if score is None:
                    score = element_score(el.questions.all(), answers)
                if score is not None:
                    element_scores[el.title].append(score)
        scores = [s.score for s in decided if s.score is not None]
        per_year.append(
            {
                "year": y,
                "members": members,
                "submitted": sum(1 for s in ys if s.status != Submission.Status.DRAFT),
                "assessed": len(decided),
                "meets": counts[Submission.Decision.MEETS],
                "partly": counts[Submission.Decision.PARTLY],
                "does_not_meet": counts[Submission.Decision.NOT_MEET],
                "share_assessed": _pct(len(decided), members),
                "share_meets": _pct(counts[Submission.Decision.MEETS], len(decided)),
                "mean_score": float(_q(sum(scores, Decimal(0)) / len(scores))) if scores else None,
                "elements": {
                    k: float(_q(sum(v, Decimal(0)) / len(v))) for k, v in element_scores.items()
                },
            }
        )
    actions = list(Action.objects.filter(covenant=covenant).select_related("theme"))
    theme_orgs: dict[str, set[int]] = defaultdict(set)
    for a in actions:
        if a.theme:
            theme_orgs[a.theme.name].add(a.organisation_id)
    tracking = Counter(action_status(a) for a in actions)
    open_actions = sum(tracking[k] for k in ("on_track", "behind", "overdue"))
    return {
        "years": per_year,
        "themes": sorted(((t, len(o)) for t, o in theme_orgs.items()), key=lambda x: (-x[1], x[0])),
        "actions": dict(tracking),
        "actions_total": len(actions),
        "share_on_track": _pct(tracking["on_track"] + tracking["done"], len(actions)),
        "open_actions": open_actions,
    }


# --- exports ----------------------------------------------------------------------


def export_rows(
    user: Any, covenant: Covenant, year: int | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Assessment results per member and year (secretariat only; confidential)."""
    require_reviewer(user, covenant)
    qs = Submission.objects.filter(covenant=covenant).select_related("organisation", "framework")
    if year:
        qs = qs.filter(year=year)
    subs = list(qs.prefetch_related("element_reviews", "answers"))
    element_titles: list[str] = []
    for el in Element.objects.filter(framework__covenant=covenant).order_by("framework", "order"):
        if el.title not in element_titles:
            element_titles.append(el.title)
    header = [
        "year",
        "organisation",
        "framework",
        "status",
        "self_score",
        "assessed_score",
        "decision",
        "improvement_deadline",
        "submitted_at",
        "decided_at",
    ] + [f"score: {t}" for t in element_titles]
    rows = []
    for s in sorted(subs, key=lambda s: (s.year, s.organisation.name)):
        card = scorecard(s)
        by_title = {r.element.title: r.score for r in card.elements}
        rows.append(
            [
                s.year,
                s.organisation.name,
                s.framework.name,
                s.status,
                None if s.self_score is None else float(s.self_score),
                None if s.score is None else float(s.score),
                s.decision,
                s.improvement_deadline.isoformat() if s.improvement_deadline else "",
                s.submitted_at.isoformat() if s.submitted_at else "",
                s.decided_at.isoformat() if s.decided_at else "",
            ]
            + [None if by_title.get(t) is None else float(by_title[t]) for t in element_titles]  # type: ignore[arg-type]
        )
    return header, rows


def assessment_letter_pdf(user: Any, submission: Submission) -> bytes:
    """The per-member assessment letter (decision, scores, feedback) as a PDF."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

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
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]
