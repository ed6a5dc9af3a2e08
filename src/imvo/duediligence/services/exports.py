"""Assessment results per member and year, as a table for the secretariat
(confidential: it names members and their scores)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from imvo.accounts.seams import AnyUser
from imvo.covenants.models import Covenant
from imvo.duediligence.models import Element
from imvo.duediligence.services.access import reviewed_submissions
from imvo.duediligence.services.scoring import scorecard


def export_rows(
    user: AnyUser, covenant: Covenant, year: int | None = None
) -> tuple[list[str], list[list[Any]]]:
    """Assessment results per member and year (secretariat only; confidential)."""
    subs = list(
        reviewed_submissions(user, covenant, year).prefetch_related("element_reviews", "answers")
    )
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
            + [_number(by_title.get(t)) for t in element_titles]
        )
    return header, rows


def _number(score: Decimal | None) -> float | None:
    return None if score is None else float(score)
