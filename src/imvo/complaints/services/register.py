"""The public case register (as the Bangladesh and Pakistan Accords publish):
per covenant, every admissible case with what the procedure allows to leave
the committee, and nothing else.

What a row holds: the reference, the month of filing (never the day or time),
the country of the production location (from the public list only), the
themes, the company only where the covenant's procedure allows naming it and
the case was decided or settled, the status, the days from filing to each
step, the closure ground and the published (anonymised, checked) outcome.

What never leaves: what the complainant wrote, their name or contact, the
place or time they gave, the language they wrote in, the location's name,
the reasons and messages of the case, evidence, the case officer or members.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy

from imvo.complaints.models import (
    ClosureGround,
    Complaint,
    ProcedureSettings,
    Publication,
    RespondentNaming,
    State,
)
from imvo.covenants.models import Covenant


def decided_or_settled(c: Complaint) -> bool:
    """After this, where the procedure allows it, the register names the
    respondents: a decision was taken, or the parties settled in mediation. A
    case the complainant withdrew, or closed for lost contact, was neither (it
    used to be named once closed, whatever the ground). Read from dates and the
    ground, which the retention purge keeps, not from the settlement's text."""
    return bool(c.decided_at or c.closure_ground == ClosureGround.SETTLED or c.settlement_enc)


def respondent_names(c: Complaint) -> list[str]:
    """Every respondent member of the case: the one the complainant named first,
    then those the committee named, in the order it named them (`namings`
    prefetched with their organisation)."""
    names = [c.respondent.name] if c.respondent else []
    for naming in c.namings.all():
        if naming.organisation.name not in names:
            names.append(naming.organisation.name)
    return names


COLUMNS: list[tuple[str, Any]] = [
    ("reference", gettext_lazy("Case")),
    ("filed_month", gettext_lazy("Filed (month)")),
    ("country", gettext_lazy("Country")),
    ("themes", gettext_lazy("Themes")),
    ("company", gettext_lazy("Company")),
    ("status", gettext_lazy("Status")),
    ("days_to_admissibility", gettext_lazy("Days to admissibility")),
    ("days_to_decision", gettext_lazy("Days to decision")),
    ("days_to_closure", gettext_lazy("Days to closure")),
    ("closure_ground", gettext_lazy("Closed on the ground")),
    ("outcome", gettext_lazy("Published outcome")),
]


def _days(start: datetime, end: datetime | None) -> int | None:
    return (end.date() - start.date()).days if end else None


def register_cases(covenant: Covenant, with_respondents: bool = False) -> QuerySet[Complaint]:
    """The covenant's admissible cases; with the members the committee named when
    the register may name respondents (one query more, only then)."""
    qs = (
        Complaint.objects.filter(covenant=covenant, admissible=True)
        .select_related("respondent")
        .prefetch_related("themes")
        .order_by("filed_at", "pk")
    )
    if with_respondents:
        namings = RespondentNaming.objects.select_related("organisation").order_by("at", "id")
        qs = qs.prefetch_related(Prefetch("namings", queryset=namings))
    return qs


def register_rows(
    covenant: Covenant, procedure: ProcedureSettings | None = None
) -> list[dict[str, Any]]:
    """The register of one covenant: one row per admissible case (`procedure`: the
    covenant's procedure settings, when read already)."""
    names_allowed = (
        procedure.register_names_companies
        if procedure is not None
        else covenant_names_companies(covenant)
    )
    outcomes = {
        p.complaint_id: f"{p.title}: {p.text}"
        for p in Publication.objects.filter(
            covenant=covenant, status=Publication.Status.PUBLISHED, complaint__isnull=False
        )
    }
    rows = []
    for c in register_cases(covenant, with_respondents=names_allowed):
        named = names_allowed and decided_or_settled(c)
        rows.append(
            {
                "reference": c.reference,
                "filed_month": f"{c.filed_at:%Y-%m}",
                "country": c.facility_country,
                "themes": ", ".join(sorted(t.name for t in c.themes.all())),
                "company": ", ".join(respondent_names(c)) if named else "",
                "status": str(State(c.state).label),
                "days_to_admissibility": _days(c.filed_at, c.admissibility_at),
                "days_to_decision": _days(c.filed_at, c.decided_at),
                "days_to_closure": _days(c.filed_at, c.closed_at),
                "closure_ground": str(ClosureGround(c.closure_ground).label)
                if c.closure_ground
                else "",
                "outcome": outcomes.get(c.pk, ""),
            }
        )
    return rows


def covenant_names_companies(covenant: Covenant) -> bool:
    proc = ProcedureSettings.objects.filter(covenant=covenant).first()
    return bool(proc and proc.register_names_companies)
