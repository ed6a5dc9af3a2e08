"""Covenant aggregates per year: share assessed and meeting the requirements, mean
score per element, themes prioritised in action plans, actions on track.
Aggregates only, no company named: this feeds the public progress report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.duediligence.framework_templates import shown
from imvo.duediligence.models import Action, Element, Submission
from imvo.duediligence.services.action_plan import action_status
from imvo.duediligence.services.scoring import element_score, quantize


def _party_companies(covenant: Covenant) -> list[tuple[int, date, date | None]]:
    """The covenant's company parties, each adherence as (organisation, since, until)."""
    return list(
        Adherence.objects.filter(
            covenant=covenant,
            role=Adherence.Role.PARTY,
            organisation__type=Organisation.Type.COMPANY,
        ).values_list("organisation_id", "since", "until")
    )


def _in_year(adherences: Iterable[tuple[int, date, date | None]], year: int) -> set[int]:
    """The companies among `adherences` that were parties at some time during the year."""
    ys, ye = date(year, 1, 1), date(year, 12, 31)
    return {org for org, since, until in adherences if since <= ye and not (until and until < ys)}


def _pct(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def covenant_figures(covenant: Covenant, years: Iterable[int] | None = None) -> dict[str, Any]:
    """Aggregates per year: share assessed and meeting the requirements, mean score per
    element, themes most often prioritised in action plans, actions on track.

    Aggregates only, no company named: this feeds the public progress report.
    Elements are named in the reader's language (`framework_templates.shown`, like
    the themes' names), so the page, the report and the API show the same words.
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
    parties = _party_companies(covenant)  # read once, for every year
    per_year = []
    for y in all_years:
        ys = [s for s in subs if s.year == y]
        # Who had to hand in: companies that were parties during the year, plus anyone
        # who did hand in (a member that joined late in the year still counts).
        members = len(_in_year(parties, y) | {s.organisation_id for s in ys})
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
                    element_scores[shown(el.title)].append(score)
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
                "mean_score": (
                    float(quantize(sum(scores, Decimal(0)) / len(scores))) if scores else None
                ),
                "elements": {
                    k: float(quantize(sum(v, Decimal(0)) / len(v)))
                    for k, v in element_scores.items()
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
        # Members behind the themes and the actions' progress (the report hides both
        # below its minimum group: with one member they are its action plan).
        "action_members": len({a.organisation_id for a in actions}),
        "share_on_track": _pct(tracking["on_track"] + tracking["done"], len(actions)),
        "open_actions": open_actions,
    }


def element_rows(years: list[dict[str, Any]]) -> list[tuple[str, list[float | None]]]:
    """The mean score per element across `years` (rows of `covenant_figures`): one row
    per element, in the order the elements first appear, with its score in each year
    (None where the year's framework has no such element)."""
    names: list[str] = []
    for y in years:
        names += [name for name in y["elements"] if name not in names]
    return [(name, [y["elements"].get(name) for y in years]) for name in names]
