"""The UNGP 31 figures."""

from django.utils import timezone

from imvo.complaints.services import figures
from imvo.complaints.tests.helpers import assign_officer, file, move, walk_to_decision


def test_ungp31_figures(world):
    year = timezone.now().year
    a = walk_to_decision(world.committee_x, file(world).complaint)
    b = file(world).complaint
    b = assign_officer(move(world.secretariat_x, b, "acknowledged"))
    b = move(world.secretariat_x, b, "admissibility")
    move(world.committee_x, b, "inadmissible", "Not about a member", ground="not_member")
    file(world)
    f = figures.ungp31_figures(world.covenant_x, year)
    assert (f["received"], f["admissible"], f["inadmissible"], f["resolved"]) == (3, 1, 1, 1)
    assert f["within_time_limits_percent"] == 100
    assert f["median_days_to_acknowledge"] == 0.0
    assert a.decided_at
    assert figures.ungp31_figures(world.covenant_y, year)["received"] == 0
