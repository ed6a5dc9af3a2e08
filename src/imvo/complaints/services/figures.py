"""The UNGP 31 effectiveness figures of a covenant's complaints mechanism:
aggregates over a year's complaints, never one case."""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from imvo.complaints.models import AfterClosureCheck, Complaint, ProcedureSettings, State
from imvo.complaints.services.deadlines import procedure_for
from imvo.covenants.models import Covenant

# The figures made of what complainants answered at 3 and 6 months after closure
# (services/aftercare.py): whether the remedy happened, whether they suffered
# retaliation. Each rests on few answers, a complainant's own words about the
# company that may have punished them: they leave the committee only in the
# published report, and only once the answers of MIN_ANSWERS_PUBLISHED cases
# stand behind them (docs/security.md, T74); other apps never get them (complaints.seams).
ANSWER_FIGURES = (
    "after_closure_answers",
    "answered_cases",
    "remedy_satisfaction_percent",
    "retaliation_reports",
    "cases_with_retaliation_reported",
)
MIN_ANSWERS_PUBLISHED = 5


def answer_figures_shown(figures: dict[str, Any]) -> bool:
    """Whether a year's answer figures (`ANSWER_FIGURES`) may be published: the
    answers of at least MIN_ANSWERS_PUBLISHED cases behind them (a case answers
    twice, at 3 and 6 months: two answers of one case are one complainant)."""
    return bool(figures["answered_cases"] >= MIN_ANSWERS_PUBLISHED)


def _days(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return (b - a).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def ungp31_figures(covenant: Covenant, year: int) -> dict[str, Any]:
    """Aggregates over the complaints filed in one year (no case can be singled out);
    see `figures_of_years`."""
    return figures_of_years(covenant, [year])[year]


def filed_in(covenant: Covenant, years: list[int]) -> QuerySet[Complaint]:
    """The covenant's complaints filed in the years (in the current time zone, as
    `filed_at__year` counts them)."""
    # One `filed_at__year=` per year: each is a range on the column (its index), where
    # `filed_at__year__in` would extract the year of every row.
    in_years = Q(pk__in=[])
    for year in years:
        in_years |= Q(filed_at__year=year)
    return Complaint.objects.filter(in_years, covenant=covenant)


def filing_year(complaint: Complaint) -> int:
    return timezone.localtime(complaint.filed_at).year


def figures_of_years(
    covenant: Covenant,
    years: list[int],
    complaints: list[Complaint] | None = None,
    procedure: ProcedureSettings | None = None,
) -> dict[int, dict[str, Any]]:
    """`ungp31_figures` of several years, by year, from one read of the procedure, the
    complaints and the after-closure answers (`complaints`: `filed_in(covenant, years)`,
    and `procedure`: `procedure_for(covenant)`, when read already).

    resolved = a decision was taken or the dialogue ended in a settlement
    (remediation follow-up or closure after admissibility). Within the time
    limits = share of the steps taken (acknowledgement, admissibility,
    decision) that were taken on or before their due day. Remedy satisfaction =
    share of the after-closure answers about a remedy that say it happened;
    retaliation reports = answers that report reprisals.
    """
    p = procedure or procedure_for(covenant)
    if complaints is None:
        complaints = list(filed_in(covenant, years))
    answers: list[dict[str, Any]] = [
        dict(a)
        for a in AfterClosureCheck.objects.filter(
            complaint__in=complaints, answered_on__isnull=False
        )
        .values("complaint_id", "remedy", "retaliation")
        .order_by("pk")
    ]
    out = {}
    for year in years:
        cs = [c for c in complaints if filing_year(c) == year]
        ids = {c.pk for c in cs}
        out[year] = _figures(
            covenant, year, p, cs, [a for a in answers if a["complaint_id"] in ids]
        )
    return out


def _figures(
    covenant: Covenant,
    year: int,
    p: ProcedureSettings,
    cs: list[Complaint],
    answers: list[dict[str, Any]],
) -> dict[str, Any]:
    ack = [d for c in cs if (d := _days(c.filed_at, c.acknowledged_at)) is not None]
    adm = [d for c in cs if (d := _days(c.filed_at, c.admissibility_at)) is not None]
    dec = [d for c in cs if (d := _days(c.filed_at, c.decided_at)) is not None]
    steps = on_time = 0
    for c in cs:
        for start, end, limit in (
            (c.filed_at, c.acknowledged_at, p.acknowledge_days),
            (c.filed_at, c.admissibility_at, p.admissibility_days),
            (c.hearing_at, c.decided_at, p.decision_days),
        ):
            d = _days(start, end)
            if d is not None:
                steps += 1
                on_time += int(d <= limit)
    resolved = sum(
        1
        for c in cs
        if c.decided_at or (c.admissible and c.state in (State.REMEDIATION, State.CLOSED))
    )
    on_remedy = [a for a in answers if a["remedy"]]
    return {
        "covenant": covenant.slug,
        "year": year,
        "received": len(cs),
        "admissible": sum(1 for c in cs if c.admissible is True),
        "inadmissible": sum(1 for c in cs if c.admissible is False),
        "resolved": resolved,
        "open": sum(1 for c in cs if c.state != State.CLOSED),
        "median_days_to_acknowledge": _median(ack),
        "median_days_to_admissibility": _median(adm),
        "median_days_to_decision": _median(dec),
        "within_time_limits_percent": round(100 * on_time / steps) if steps else None,
        "remedies_agreed": sum(1 for c in cs if c.remedy_agreed),
        "remedies_carried_out": sum(1 for c in cs if c.remedy_carried_out),
        # What complainants said at 3 and 6 months after closure (aftercare.py).
        "after_closure_answers": len(answers),
        "answered_cases": len({a["complaint_id"] for a in answers}),
        "remedy_satisfaction_percent": round(
            100 * sum(1 for a in on_remedy if a["remedy"] == "yes") / len(on_remedy)
        )
        if on_remedy
        else None,
        "retaliation_reports": sum(1 for a in answers if a["retaliation"]),
        "cases_with_retaliation_reported": len(
            {a["complaint_id"] for a in answers if a["retaliation"]}
        ),
        "limits": {
            "acknowledge_days": p.acknowledge_days,
            "admissibility_days": p.admissibility_days,
            "decision_days": p.decision_days,
        },
    }


def figure_years(covenant: Covenant) -> list[int]:
    years = {d.year for d in Complaint.objects.filter(covenant=covenant).dates("filed_at", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
