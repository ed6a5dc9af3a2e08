"""The covenants app's tables: the covenant and its organisations (`core`), its
governance meetings and decisions (`governance`), applications to join
(`membership`) and the obstacles register (`parties`); `owned` gives other apps
the two keys of a record an organisation keeps within a covenant."""

from imvo.covenants.models.core import (
    Adherence,
    AdherenceChange,
    Agreement,
    Covenant,
    GovernanceBody,
    KpiMeasurement,
    KpiUnit,
    Organisation,
    Phase,
    ProcessStep,
    Seat,
    Sector,
    StakeholderGroup,
    Theme,
)
from imvo.covenants.models.governance import AgendaItem, Decision, Meeting, Visibility
from imvo.covenants.models.membership import MembershipApplication
from imvo.covenants.models.owned import covenant_and_organisation
from imvo.covenants.models.parties import KpiComment, Obstacle, ObstacleAction

__all__ = [
    "Adherence",
    "AdherenceChange",
    "AgendaItem",
    "Agreement",
    "Covenant",
    "Decision",
    "GovernanceBody",
    "KpiComment",
    "KpiMeasurement",
    "KpiUnit",
    "Meeting",
    "MembershipApplication",
    "Obstacle",
    "ObstacleAction",
    "Organisation",
    "Phase",
    "ProcessStep",
    "Seat",
    "Sector",
    "StakeholderGroup",
    "Theme",
    "Visibility",
    "covenant_and_organisation",
]
