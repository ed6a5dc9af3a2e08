"""The score of a submission. Deterministic: Decimal arithmetic, half-up rounding
to 2 decimals.

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from imvo.core.errors import DomainError
from imvo.duediligence.models import Element, Framework, Question, Submission

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
YESNO_VALUES = {"yes": Decimal(1), "partly": Decimal("0.5"), "no": Decimal(0)}
LEVELS = {"1", "2", "3", "4", "5"}


def quantize(value: Decimal) -> Decimal:
    """A score as stored and shown: 2 decimals, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def answer_fraction(kind: str, value: str) -> Decimal | None:
    """The share (0..1) of a question's points an answer earns; None when not scored."""
    if kind == Question.Kind.TEXT:
        return None
    value = (value or "").strip().lower()
    if kind == Question.Kind.YESNO:
        return YESNO_VALUES.get(value, Decimal(0))
    if kind == Question.Kind.LEVEL:
        if value in LEVELS:
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
    return quantize(earned / total_w * HUNDRED)


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
    return quantize(s / total_w)


def parse_score(value: object, where: str) -> Decimal | None:
    """A score the reviewer typed (a comma is a decimal point): 0-100, or None when blank."""
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
    return quantize(d)


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
