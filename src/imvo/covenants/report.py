"""The covenants app's sections of a covenant's yearly progress report.

Every party has its own commitments (issue 17): the first section reports the
agreements' KPI progress by the type of party that owns them (companies,
branch organisations, unions, NGOs, government). The second reports the
obstacles register: what the parties asked of government and what came of it,
in aggregate (counts by status and by country; the register itself is for the
parties).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.utils.translation import gettext as _

from imvo.core.registry import Figure, ReportSection, Table
from imvo.covenants.models import Covenant, Obstacle, Organisation
from imvo.covenants.services import STATUS_LABELS, agreements_as_of, kpi_progress


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    return [_commitments(covenant, year), _obstacles(covenant, year)]


def _commitments(covenant: Covenant, year: int) -> ReportSection:
    end_of_year = date(year, 12, 31)
    agreements = agreements_as_of(covenant, end_of_year, "owners")
    by_type: dict[str, Counter[str]] = {}
    for agreement in agreements:
        status = kpi_progress(agreement, today=end_of_year).status
        for t in sorted({o.type for o in agreement.owners.all()}):
            by_type.setdefault(t, Counter())[status] += 1
    statuses = list(STATUS_LABELS)
    rows = [
        [str(Organisation.Type(t).label), *[counts[s] for s in statuses], sum(counts.values())]
        for t, counts in sorted(by_type.items())
    ]
    return ReportSection(
        key="party-commitments",
        title=_("Commitments of every party"),
        text=_(
            "Each party contributes under the agreements. Progress of the agreements each "
            "type of party owns, at the end of the year (an agreement with several owners "
            "counts for each of their types)."
        ),
        tables=[
            Table(
                caption=_("Agreements by the type of party that owns them"),
                header=[_("Party type"), *[_(STATUS_LABELS[s]) for s in statuses], _("Total")],
                rows=rows,
            )
        ],
        sources=[_("KPI measurements recorded by the secretariat, with their sources")],
    )


def _obstacles(covenant: Covenant, year: int) -> ReportSection:
    raised = Obstacle.objects.filter(covenant=covenant, raised__year__lte=year)
    in_year = [o for o in raised if o.raised.year == year]
    closed = [o for o in raised if o.closed and o.closed.year == year]
    by_country = Counter(o.country for o in raised)
    return ReportSection(
        key="obstacles",
        title=_("Obstacles that need government action"),
        text=_(
            "Parties raise problems they cannot solve without government (the duty to "
            "protect, diplomacy, the embassies); the government party takes them up, "
            "reports its actions and closes them with a result."
        ),
        figures=[
            Figure(_("Obstacles raised this year"), len(in_year)),
            Figure(_("Closed this year"), len(closed)),
            Figure(
                _("Open at the end of the year"),
                sum(1 for o in raised if not (o.closed and o.closed.year <= year)),
            ),
        ],
        tables=[
            Table(
                caption=_("Obstacles by country"),
                header=[_("Country"), _("Obstacles")],
                rows=[[c, n] for c, n in sorted(by_country.items())],
            )
        ],
        sources=[_("The covenant's obstacles register")],
    )
