"""Test builders for the risk register (see `imvo.testing` for the personas)."""

from __future__ import annotations

from imvo.covenants.models import Covenant
from imvo.risk import services as risk
from imvo.risk.models import RegisterEntry
from imvo.testing import World


def severe_and_mild_risk(
    world: World, covenant: Covenant | None = None
) -> tuple[RegisterEntry, RegisterEntry]:
    """Member A's risk register with the worked example of UNGP 24: a mild risk
    entered first (late overtime pay in BD: scale 2, scope 2, fully remediable 1,
    almost certain 4) and a severe one after it (forced labour in a quarry in IN:
    4, 3, irreversible 4, unlikely 1; severity 11), both of `covenant` when given.
    A reader of the register puts the severe one first whatever the order they
    were entered in. Returns (severe, mild)."""
    mild = risk.create_entry(
        world.member_a,
        world.company_a,
        "living-wage",
        "Overtime pay",
        country="BD",
        covenant=covenant,
        scale=2,
        scope=2,
        irremediability=1,
        likelihood=4,
    )
    severe = risk.create_entry(
        world.member_a,
        world.company_a,
        "forced-labour",
        "Forced labour in a quarry",
        country="IN",
        covenant=covenant,
        scale=4,
        scope=3,
        irremediability=4,
        likelihood=1,
    )
    return severe, mild
