"""What other apps may use of complaints besides its models: the UNGP 31
figures of a covenant's year (aggregates only, no case can be singled out), which
the regulation app cites in its CSDDD/ESRS record.

Everything not named here is the complaints app's own (complaint data is
confidential: a new use from another app comes through this module, where it
can be reviewed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from imvo.complaints.services.figures import ungp31_figures
from imvo.covenants.models import Covenant

__all__ = ["ComplaintFigures", "TimeLimits", "complaint_figures"]


@dataclass(frozen=True)
class TimeLimits:
    """The covenant's procedure: days allowed for each step."""

    acknowledge_days: int
    admissibility_days: int
    decision_days: int


@dataclass(frozen=True)
class ComplaintFigures:
    """Aggregates over the complaints filed in one year of one covenant."""

    covenant: str  # the covenant's slug
    year: int
    received: int
    admissible: int
    inadmissible: int
    resolved: int
    open: int
    median_days_to_acknowledge: float | None
    median_days_to_admissibility: float | None
    median_days_to_decision: float | None
    within_time_limits_percent: int | None
    remedies_agreed: int
    remedies_carried_out: int
    # What complainants answered at 3 and 6 months after closure (services/aftercare.py).
    after_closure_answers: int
    remedy_satisfaction_percent: int | None
    retaliation_reports: int
    cases_with_retaliation_reported: int
    limits: TimeLimits

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain data (the regulation pack writes them as JSON)."""
        return asdict(self)


def complaint_figures(covenant: Covenant, year: int) -> ComplaintFigures:
    """The UNGP 31 figures of the covenant's complaints filed in `year`."""
    f = dict(ungp31_figures(covenant, year))
    limits = TimeLimits(**f.pop("limits"))
    return ComplaintFigures(limits=limits, **f)
