"""The complaints seam gives other apps the UNGP 31 figures, typed, and the same
plain data as the complaints' own figures page."""

from django.utils import timezone

from imvo.complaints import seams
from imvo.complaints.services import figures
from imvo.complaints.tests.helpers import file


def test_complaint_figures_are_the_ungp31_figures(world) -> None:
    year = timezone.now().year
    file(world)
    f = seams.complaint_figures(world.covenant_x, year)
    assert (f.covenant, f.year, f.received, f.open) == (world.covenant_x.slug, year, 1, 1)
    assert f.limits.acknowledge_days > 0
    assert f.as_dict() == {
        k: v
        for k, v in figures.ungp31_figures(world.covenant_x, year).items()
        if k not in figures.ANSWER_FIGURES
    }
    assert seams.complaint_figures(world.covenant_y, year).received == 0
