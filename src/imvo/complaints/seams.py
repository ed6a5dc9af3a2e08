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

from imvo.complaints.services.figures import ANSWER_FIGURES, ungp31_figures
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
    limits: TimeLimits

    def as_dict(self) -> dict[str, Any]:
        """The figures as plain data (the regulation pack writes them as JSON)."""
        return asdict(self)


def complaint_figures(covenant: Covenant, year: int) -> ComplaintFigures:
    """The UNGP 31 figures of the covenant's complaints filed in `year`, without
    what complainants answered after closure (remedy, retaliation): those answers
    stay with the committee. A member's CSDDD pack carried them, read live: the
    respondent of the year's only answered case read what its complainant said,
    and on which day (docs/security.md, T74)."""
    f = {k: v for k, v in ungp31_figures(covenant, year).items() if k not in ANSWER_FIGURES}
    limits = TimeLimits(**f.pop("limits"))
    return ComplaintFigures(limits=limits, **f)
