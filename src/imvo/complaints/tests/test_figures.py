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


def _filed_over_two_years(world):
    """Two complaints this year (one admitted, themes), one last year (admitted)."""
    from datetime import timedelta

    from imvo.complaints.models import Complaint
    from imvo.complaints.tests.helpers import admit

    year = timezone.now().year
    admit(world.committee_x, file(world, topics=["wages"]).complaint)
    file(world, topics=["safety"])
    old = admit(world.committee_x, file(world, topics=["wages"]).complaint)
    Complaint.objects.filter(pk=old.pk).update(filed_at=old.filed_at - timedelta(days=366))
    return year


def test_figures_of_years_are_each_years_figures(world):
    year = _filed_over_two_years(world)
    both = figures.figures_of_years(world.covenant_x, [year - 1, year])
    assert both == {y: figures.ungp31_figures(world.covenant_x, y) for y in (year - 1, year)}
    assert (both[year]["received"], both[year - 1]["received"]) == (2, 1)


def test_the_report_section_reads_the_complaints_once(world, django_assert_num_queries):
    """It read the procedure three times and the complaints three times (this year's
    figures, last year's, this year's themes). Now: the procedure, the complaints of
    both years, their themes, their after-closure answers, then the register:
    publications, cases, their themes."""
    from imvo.complaints.report import report_sections

    year = _filed_over_two_years(world)
    with django_assert_num_queries(7):
        sections = {s.key: s for s in report_sections(world.covenant_x, year)}
    assert sections["complaints"].figures[0].value == 2
    assert sections["complaints"].charts[0].series[0].values[0] == 1  # last year received


def test_the_figures_page_reads_five_years_at_once(world, client, django_assert_num_queries):
    """The covenant, its years; one read of the procedure, the complaints and the
    answers for all years shown (was: three per year); the covenant list."""
    _filed_over_two_years(world)
    client.get("/complaints/figures/covenant-x/")
    with django_assert_num_queries(6):
        assert client.get("/complaints/figures/covenant-x/").status_code == 200
