"""Small builders for the due-diligence tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from imvo.covenants.models import Covenant
from imvo.duediligence.models import Question, Submission
from imvo.duediligence.services import frameworks, review, submissions

# A deadline well ahead, for decisions that fall short.
LATER = timezone.localdate() + timedelta(days=180)

# Worked example on the garment framework: answers per question code.
GARMENT_ANSWERS = {
    "policy-adopted": "yes",
    "responsible-person": "partly",
    "supplier-code": "no",
    "tier1-mapped": "yes",
    "beyond-tier1": "yes",
    "themes-assessed": "yes",
    "prioritised": "no",
    "smart-actions": "yes",
    "all-themes": "no",
    "purchasing": "partly",
    "leverage": "yes",
    "tracking": "yes",
    "public-report": "yes",
    "locations-public": "no",
    "consulted": "yes",
    "grievance": "no",
    "remedy": "no",
}


def answer_all(user: Any, sub: Submission, by_code: dict[str, str]) -> None:
    qs = Question.objects.filter(element__framework=sub.framework)
    submissions.check_save_answers(
        user, sub, {q.pk: (by_code.get(q.code, ""), f"because {q.code}") for q in qs}
    )


def garment_setup(w: Any):
    return frameworks.check_install_framework(w.secretariat_x, w.covenant_x, "garment")


def handed_in(
    user: Any, covenant: Covenant, year: int, answers: dict[str, str] = GARMENT_ANSWERS
) -> Submission:
    """The user's company's submission for `year`, answered as `answers` and handed in."""
    sub = submissions.check_start_submission(user, covenant, year)
    answer_all(user, sub, answers)
    submissions.check_submit(user, sub)
    sub.refresh_from_db()
    return sub


def submitted(w: Any) -> Submission:
    """Member A's 2025 submission in covenant X, answered as GARMENT_ANSWERS and handed in."""
    return handed_in(w.member_a, w.covenant_x, 2025)


def decided(
    w: Any, sub: Submission, decision: str, scores: dict[int, tuple[str, str]] | None = None
) -> None:
    """Covenant X's secretariat decides `sub` (element `scores` optional); short of
    "meets", the member is to improve by LATER."""
    review.check_review(
        w.secretariat_x,
        sub,
        scores or {},
        "ok",
        "decide",
        decision,
        None if decision == "meets" else LATER,
    )
