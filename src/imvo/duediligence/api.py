"""Due-diligence endpoints (token auth): members read their submissions and hand in
answers; the secretariat reads its covenants' submissions and figures.

Scoped like the pages: anything the caller may not see is 404. Texts come in the
request's language (Accept-Language, as on the pages): a ready-made framework's
name and element titles are translated (`framework_templates.shown`), the
secretariat's own as written, errors too.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from imvo.accounts import seams as roles
from imvo.accounts.seams import token_auth
from imvo.covenants.models import Covenant
from imvo.duediligence.framework_templates import shown
from imvo.duediligence.models import Question, Submission
from imvo.duediligence.services import access
from imvo.duediligence.services.figures import covenant_figures
from imvo.duediligence.services.scoring import scorecard
from imvo.duediligence.services.submissions import check_save_answers, check_submit

router = Router(tags=["duediligence"])


class SubmissionOut(Schema):
    id: int
    covenant: str
    organisation: str
    year: int
    framework: str
    status: str
    self_score: Decimal | None
    score: Decimal | None
    decision: str
    improvement_deadline: str | None
    submitted_at: datetime | None
    decided_at: datetime | None


class ElementOut(Schema):
    code: str
    title: str
    oecd_step: int
    weight: Decimal
    self_score: Decimal | None
    review_score: Decimal | None


class SubmissionDetailOut(SubmissionOut):
    feedback: str
    elements: list[ElementOut]
    answers: dict[str, str]
    versions: list[int]


class AnswerIn(Schema):
    question: str
    value: str = ""
    explanation: str = ""


class AnswersIn(Schema):
    answers: list[AnswerIn]
    submit: bool = False


def _out(s: Submission) -> dict[str, Any]:
    return {
        "id": s.pk,
        "covenant": s.covenant.slug,
        "organisation": s.organisation.name,
        "year": s.year,
        "framework": shown(s.framework.name),
        "status": s.status,
        "self_score": s.self_score,
        "score": s.score,
        "decision": s.decision,
        "improvement_deadline": (
            s.improvement_deadline.isoformat() if s.improvement_deadline else None
        ),
        "submitted_at": s.submitted_at,
        "decided_at": s.decided_at,
    }


def _detail(s: Submission) -> dict[str, Any]:
    card = scorecard(s)
    out = _out(s)
    out["feedback"] = s.feedback
    out["elements"] = [
        {
            "code": r.element.code,
            "title": shown(r.element.title),
            "oecd_step": r.element.oecd_step,
            "weight": r.element.weight,
            "self_score": r.self_score,
            "review_score": r.review_score,
        }
        for r in card.elements
    ]
    out["answers"] = {a.question.code: a.value for a in s.answers.select_related("question")}
    out["versions"] = list(s.versions.values_list("number", flat=True))
    return out


def _get(request: HttpRequest, pk: int) -> Submission:
    try:
        return access.get_submission(request.auth, pk)  # type: ignore[attr-defined]
    except access.NotFound:
        raise HttpError(404, _("No such submission.")) from None


@router.get(
    "/due-diligence/submissions",
    response=list[SubmissionOut],
    auth=token_auth,
    summary="Due-diligence submissions you may see (yours, or your covenants' as secretariat)",
)
def list_submissions(
    request: HttpRequest, covenant: str | None = None, year: int | None = None
) -> list[dict[str, Any]]:
    qs = access.submissions_visible_to(request.auth)  # type: ignore[attr-defined]
    if covenant:
        qs = qs.filter(covenant__slug=covenant)
    if year:
        qs = qs.filter(year=year)
    return [_out(s) for s in qs]


@router.get(
    "/due-diligence/submissions/{pk}",
    response=SubmissionDetailOut,
    auth=token_auth,
    summary="One submission with its scores per element",
)
def get_submission(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(_get(request, pk))


@router.post(
    "/due-diligence/submissions/{pk}/answers",
    response=SubmissionDetailOut,
    auth=token_auth,
    summary="Save answers (by question code) and optionally submit (member)",
)
def save_answers(request: HttpRequest, pk: int, payload: AnswersIn) -> dict[str, Any]:
    s = _get(request, pk)
    codes = dict(
        Question.objects.filter(element__framework_id=s.framework_id).values_list("code", "pk")
    )
    unknown = [a.question for a in payload.answers if a.question not in codes]
    if unknown:
        raise HttpError(
            400, _("Unknown question code(s): %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    check_save_answers(
        request.auth,  # type: ignore[attr-defined]
        s,
        {codes[a.question]: (a.value, a.explanation) for a in payload.answers},
    )
    if payload.submit:
        check_submit(request.auth, s)  # type: ignore[attr-defined]
    s.refresh_from_db()
    return _detail(s)


@router.get(
    "/due-diligence/covenants/{slug}/figures",
    auth=token_auth,
    summary="Covenant-level due-diligence figures per year (secretariat)",
)
def figures(request: HttpRequest, slug: str) -> dict[str, Any]:
    covenant = get_object_or_404(Covenant, slug=slug)
    if not roles.is_secretariat(request.auth, covenant):  # type: ignore[attr-defined]
        raise HttpError(404, _("No such covenant."))
    data = covenant_figures(covenant)
    data["themes"] = [{"theme": t, "members": n} for t, n in data["themes"]]
    return data
