"""What a complainant answers after closure (did the remedy happen, were they
punished for complaining) stays with the committee: the yearly report shows the
answer figures only once the complainants of MIN_ANSWERS_PUBLISHED cases have
answered, and no other app gets them (docs/security.md, T74)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from imvo.complaints import seams
from imvo.complaints.report import report_sections
from imvo.complaints.services import aftercare, figures
from imvo.complaints.tests.helpers import file, move, walk_to_decision

SATISFIED = "Complainants satisfied the remedy happened (3 and 6 months after closure)"
RETALIATION = "Retaliation reported after closure"
# What complainants answered, as the figures name it (services/figures.ANSWER_FIGURES).
ANSWERS = ("after_closure_answers", "remedy_satisfaction_percent", "retaliation_reports",
           "cases_with_retaliation_reported", "answered_cases")  # fmt: skip
MIN_CASES = 5  # services/figures.MIN_ANSWERS_PUBLISHED


def _closed_against_a(world):
    c = walk_to_decision(world.committee_x, file(world, respondent=world.company_a).complaint,
                         remedy=True)  # fmt: skip
    c = move(world.committee_x, c, "remediation")
    return move(world.committee_x, c, "closed", ground="decided", remedy_carried_out=True)


def _figures(world) -> dict[str, object]:
    (section,) = [
        s for s in report_sections(world.covenant_x, timezone.now().year) if s.key == "complaints"
    ]
    return {f["label"]: f["value"] for f in section.as_dict("complaints")["figures"]}


def test_one_complainants_answer_is_not_in_the_report_nor_given_to_other_apps(
    world, client
) -> None:
    """Before: the report said "Retaliation reported after closure: 1" and "satisfied:
    0%" with the year's only answered case, what its complainant told the committee
    about the company; the seam gave the same to every member's CSDDD pack."""
    cases = [_closed_against_a(world)]
    aftercare.do_ask_due_checks(timezone.localdate() + timedelta(days=100))
    aftercare.check_answer(cases[0], "no", "yes", "The supervisor moved me to night shifts.")

    shown = _figures(world)
    assert shown[RETALIATION] == "-" and shown[SATISFIED] == "-"
    assert shown["Complaints received"] == 1  # the process figures stay
    f = seams.complaint_figures(world.covenant_x, timezone.now().year).as_dict()
    assert f["received"] == 1 and not set(ANSWERS) & set(f)

    # Four more cases answer (one twice): from MIN_CASES cases on, shown.
    cases += [_closed_against_a(world) for _ in range(MIN_CASES - 1)]
    aftercare.do_ask_due_checks(timezone.localdate() + timedelta(days=100))
    for c in cases[1:-1]:
        aftercare.check_answer(c, "yes", "no")
    assert _figures(world)[RETALIATION] == "-"  # four cases answered: still hidden
    aftercare.check_answer(cases[-1], "yes", "no")
    shown = _figures(world)
    assert shown[RETALIATION] == 1 and shown[SATISFIED] == 80
    assert not set(ANSWERS) & set(
        seams.complaint_figures(world.covenant_x, timezone.now().year).as_dict()
    )
    # The public dashboard, drawn from today's data, never shows them: it would show
    # each answer the day it is given. The secretariat's draft report does.
    dashboard = client.get(f"/reports/dashboard/{world.covenant_x.slug}/").content.decode()
    assert "Complaints received" in dashboard and RETALIATION not in dashboard
    assert "satisfied the remedy" not in dashboard
    client.force_login(world.secretariat_x)
    year = timezone.now().year
    draft = client.get(f"/reports/{world.covenant_x.slug}/{year}/draft/").content.decode()
    assert RETALIATION in draft
    assert set(ANSWERS) == set(figures.ANSWER_FIGURES)
    assert figures.MIN_ANSWERS_PUBLISHED == MIN_CASES
