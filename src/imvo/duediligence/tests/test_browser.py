"""Real browser: a member goes from draft to submitted, a reviewer from queue to decision."""

from __future__ import annotations

import pytest
from django.utils import timezone

from imvo.core.testing import login
from imvo.duediligence.models import Question, Submission
from imvo.duediligence.services import frameworks


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_submits_and_reviewer_decides(page, world) -> None:

    fw = frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    year = timezone.localdate().year
    login(page, "member_a")
    page.goto("/due-diligence/")
    page.get_by_role("button", name=f"Start your {year} submission").click()
    page.wait_for_url("**/due-diligence/submissions/*/")
    # Answer every scored question "yes", one "partly".
    for q in Question.objects.filter(element__framework=fw).exclude(kind="text"):
        value = "partly" if q.code == "purchasing" else "yes"
        page.check(f"input[name=q{q.pk}][value={value}]")
    page.click("#submit-btn")
    page.wait_for_selector("text=Submitted. The secretariat will review it.")
    assert page.inner_text("#status") == "Submitted"
    sub = Submission.objects.get(organisation=world.company_a, year=year)
    # 40 * (2 + 1 + 0.5 + 1) / 5 = 36 of 40 on targets; all else 100 -> 96
    assert str(sub.self_score) == "96.00"

    page.context.clear_cookies()
    login(page, "secretariat_x")
    page.goto(f"/due-diligence/c/{world.covenant_x.slug}/queue/")
    page.click("#queue >> text=Company A")
    page.click("#start-review")
    page.wait_for_selector("text=Under review")
    page.fill("#feedback", "Strong plan; publish your supplier list.")
    page.select_option("#decision", "meets")
    page.click("#review-submit")
    page.wait_for_selector("text=Assessment recorded.")
    assert "Meets the requirements" in page.inner_text("#decision")
    sub.refresh_from_db()
    assert (sub.status, sub.decision, str(sub.score)) == ("decided", "meets", "96.00")
    assert sub.versions.count() == 2
