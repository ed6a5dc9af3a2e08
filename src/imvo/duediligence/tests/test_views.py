"""Pages: each role sees what it may, and 404 for anything else."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from imvo.core.testing import (
    PHONE,
    assert_cleaned_pdf,
    pdf_with_author_and_gps_photo,
    photo_with_gps,
)
from imvo.duediligence.models import Question, Submission
from imvo.duediligence.services import action_plan, frameworks, review, submissions

from .helpers import GARMENT_ANSWERS, answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def sub(world):
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    s = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, s, GARMENT_ANSWERS)
    return s


def test_member_saves_and_submits_through_the_page(client, world, sub) -> None:
    client.force_login(world.member_a)
    url = reverse("duediligence:submission", args=[sub.pk])
    assert client.get(url).status_code == 200
    q = Question.objects.get(element__framework=sub.framework, code="prioritised")
    r = client.post(url, {f"q{q.pk}": "yes", f"x{q.pk}": "done", "do": "submit"}, follow=True)
    assert r.status_code == 200
    sub.refresh_from_db()
    assert sub.status == Submission.Status.SUBMITTED
    # 15*62.5 + 20*100 + 40*70 + 15*66.67 + 10*33.33 -> 70.71
    assert str(sub.self_score) == "70.71"


def test_bad_answer_is_shown_not_a_stack_trace(client, world, sub) -> None:
    client.force_login(world.member_a)
    q = Question.objects.get(element__framework=sub.framework, code="prioritised")
    url = reverse("duediligence:submission", args=[sub.pk])
    r = client.post(url, {f"q{q.pk}": "sometimes", "do": "save"}, follow=True)
    assert "prioritised: answer yes, partly or no" in r.content.decode()


@pytest.mark.parametrize("who", ["member_b", "member_c", "secretariat_y", "committee_x"])
def test_others_get_404(client, world, sub, who) -> None:
    client.force_login(getattr(world, who))
    for name in ("submission", "letter"):
        assert client.get(reverse(f"duediligence:{name}", args=[sub.pk])).status_code == 404
    assert client.post(reverse("duediligence:review", args=[sub.pk])).status_code == 404
    assert client.get(reverse("duediligence:version", args=[sub.pk, 1])).status_code == 404
    for name in ("queue", "figures", "escalation", "framework"):
        r = client.get(reverse(f"duediligence:{name}", args=[world.covenant_x.slug]))
        assert r.status_code == 404


def test_anonymous_is_sent_to_login(client, sub) -> None:
    r = client.get(reverse("duediligence:submission", args=[sub.pk]))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_reviewer_decides_exports_and_letter(client, world, sub) -> None:
    submissions.check_submit(world.member_a, sub)
    client.force_login(world.secretariat_x)
    queue = client.get(reverse("duediligence:queue", args=[world.covenant_x.slug]))
    page = queue.content.decode()
    assert world.company_a.name in page
    # B has not started: it is listed as such (issue 17), never among the submissions.
    submitted_part, not_started = page.split('id="not-started"')
    assert world.company_b.name not in submitted_part and world.company_b.name in not_started
    policy = sub.framework.elements.get(code="policy")
    deadline = (timezone.localdate() + timedelta(days=90)).isoformat()
    r = client.post(
        reverse("duediligence:review", args=[sub.pk]),
        {f"score{policy.pk}": "abc", "feedback": "x", "outcome": "decide", "decision": "meets"},
        follow=True,
    )
    assert "Policy and management: abc is not a number" in r.content.decode()
    client.post(
        reverse("duediligence:review", args=[sub.pk]),
        {
            f"score{policy.pk}": "40",
            "feedback": "Adopt the policy.",
            "outcome": "decide",
            "decision": "partly",
            "improvement_deadline": deadline,
        },
    )
    sub.refresh_from_db()
    assert sub.decision == "partly" and sub.status == "decided"
    csv = client.get(reverse("duediligence:export", args=[world.covenant_x.slug, "csv"]))
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('"year","organisation","framework","status"')
    assert "Company A" in text and ',"partly",' in text
    xlsx = client.get(reverse("duediligence:export", args=[world.covenant_x.slug, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    pdf = client.get(reverse("duediligence:letter", args=[sub.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    # The member may download its own letter.
    client.force_login(world.member_a)
    assert client.get(reverse("duediligence:letter", args=[sub.pk])).status_code == 200


def test_export_neutralises_formulas(client, world) -> None:
    world.company_a.name = '=HYPERLINK("http://x")'
    world.company_a.save()
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "maturity")
    submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    client.force_login(world.secretariat_x)
    text = client.get(
        reverse("duediligence:export", args=[world.covenant_x.slug, "csv"])
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_action_pages_are_scoped(client, world, sub) -> None:
    client.force_login(world.member_a)
    r = client.post(
        reverse("duediligence:plan", args=[world.covenant_x.slug]),
        {
            "what": "Audit wet processing",
            "owner": "Sourcing lead",
            "start": "2025-01-01",
            "deadline": "2026-12-31",
            "target": "All 5 wet-processing units audited",
            "status": "planned",
        },
    )
    assert r.status_code == 302
    action = world.company_a.dd_actions.get()
    assert client.get(reverse("duediligence:action", args=[action.pk])).status_code == 200
    client.force_login(world.member_b)
    assert client.get(reverse("duediligence:action", args=[action.pk])).status_code == 404
    assert client.get(reverse("duediligence:plan", args=[world.covenant_y.slug])).status_code == 404
    client.force_login(world.secretariat_x)  # reads, may not write
    assert client.get(reverse("duediligence:action", args=[action.pk])).status_code == 200
    r = client.post(reverse("duediligence:action", args=[action.pk]), {"progress": 10, "text": "x"})
    assert r.status_code == 404


def test_escalation_page_records_a_step(client, world) -> None:
    client.force_login(world.secretariat_x)
    url = reverse("duediligence:escalation", args=[world.covenant_x.slug])

    def record_step_for_b(step: str, reason: str):
        today = timezone.localdate().isoformat()
        data = {"organisation": world.company_b.pk, "step": step, "date": today, "reason": reason}
        return client.post(url, data)

    r = record_step_for_b("suspension", "No plan")
    assert r.status_code == 302
    assert world.company_b.adherences.get().status == "suspended"
    r = record_step_for_b("dialogue", "talk")
    assert "already at" in r.content.decode()
    # Who recorded it: the person's name, or the role; never the log-in name.
    page = client.get(url).content.decode()
    assert "secretariat_x" not in page and ">Secretariat</td>" in page
    world.secretariat_x.first_name, world.secretariat_x.last_name = "Sanne", "de Vries"
    world.secretariat_x.save()
    page = client.get(url).content.decode()
    assert "secretariat_x" not in page and ">Sanne de Vries</td>" in page


def test_index_and_nav(client, world, sub) -> None:
    from imvo.duediligence.nav import links_for

    assert links_for(world.member_a)
    assert links_for(world.secretariat_x)
    assert links_for(world.committee_x) == []
    client.force_login(world.member_a)
    assert "2025" in client.get(reverse("duediligence:index")).content.decode()


def test_evidence_download_is_scoped(client, world, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    a = action_plan.check_save_action(
        world.member_a,
        world.covenant_x,
        what="Audit",
        owner="QA",
        target="5 audits",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    upd = action_plan.check_add_progress(
        world.member_a,
        a,
        20,
        "first audit",
        SimpleUploadedFile("audit.pdf", pdf_with_author_and_gps_photo()),
    )
    url = reverse("duediligence:evidence", args=[upd.pk])
    for outsider in (world.member_b, world.secretariat_y):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(world.member_a)
    r = client.get(url)
    assert r.status_code == 200
    # Stored and served without its author nor the photo's phone and GPS position.
    assert_cleaned_pdf(b"".join(r.streaming_content))


def test_photo_evidence_loses_its_gps_position(world, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    a = action_plan.check_save_action(
        world.member_a,
        world.covenant_x,
        what="Fire exits",
        owner="QA",
        target="all exits clear",
        deadline=timezone.localdate() + timedelta(days=30),
    )
    photo = photo_with_gps()
    upd = action_plan.check_add_progress(
        world.member_a, a, 50, "exits cleared", SimpleUploadedFile("exit.jpg", photo)
    )
    with upd.evidence.open("rb") as fh:
        stored = fh.read()
    assert PHONE.encode() in photo and PHONE.encode() not in stored
    from PIL import Image

    with Image.open(io.BytesIO(stored)) as img:
        assert img.size == (64, 48) and not img.getexif().get_ifd(0x8825)


def test_member_reads_its_versions(client, world, sub) -> None:
    submissions.check_submit(world.member_a, sub)
    client.force_login(world.member_a)
    r = client.get(reverse("duediligence:version", args=[sub.pk, 1]))
    assert r.status_code == 200 and "65.71" in r.content.decode()
    assert client.get(reverse("duediligence:version", args=[sub.pk, 2])).status_code == 404


def test_secretariat_adapts_the_framework(client, world) -> None:
    from imvo.duediligence.models import Framework

    client.force_login(world.secretariat_x)
    url = reverse("duediligence:framework", args=[world.covenant_x.slug])
    client.post(url, {"do": "install", "template": "garment"})
    fw = Framework.objects.get(covenant=world.covenant_x)
    r = client.post(
        url, {"do": "element", "title": "Communication", "oecd_step": "5", "weight": "5"}
    )
    assert r.status_code == 302
    el = fw.elements.get(title="Communication")
    client.post(
        url,
        {
            "do": "question",
            "element": el.pk,
            "text": "Do you publish locations?",
            "kind": "yesno",
            "weight": "1",
        },
    )
    q = el.questions.get()
    # A member answers: the question can no longer be removed, only weighted 0.
    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    submissions.check_save_answers(world.member_a, sub, {q.pk: ("yes", "")})
    r = client.post(url, {"do": "remove", "question": q.pk}, follow=True)
    assert "already answered this question" in r.content.decode()
    answer_all(world.member_a, sub, {**GARMENT_ANSWERS, q.code: "yes"})
    submissions.check_submit(world.member_a, sub)
    review.check_review(world.secretariat_x, sub, {}, "ok", "decide", "meets")
    # Decided: the framework is frozen.
    r = client.post(
        url, {"do": "element", "title": "More", "oecd_step": "5", "weight": "5"}, follow=True
    )
    assert "can no longer change" in r.content.decode()
    assert not fw.elements.filter(title="More").exists()
    # Another covenant's secretariat cannot touch it.
    client.force_login(world.secretariat_y)
    assert client.post(url, {"do": "remove", "question": q.pk}).status_code == 404


@pytest.mark.parametrize("year", ["abc", "99999999999", '2025"; x="', "-1"])
def test_odd_year_parameters_are_ignored(client, world, year) -> None:
    client.force_login(world.secretariat_x)
    q = client.get(reverse("duediligence:queue", args=[world.covenant_x.slug]), {"year": year})
    assert q.status_code == 200
    e = client.get(
        reverse("duediligence:export", args=[world.covenant_x.slug, "csv"]), {"year": year}
    )
    assert e.status_code == 200
    assert e["Content-Disposition"] == 'attachment; filename="assessments-covenant-x.csv"'


def test_the_index_counts_what_waits_in_one_query_however_many_covenants(
    client, world, sub
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imvo.accounts.services import grant_role
    from imvo.testing import make_covenant

    submissions.check_submit(world.member_a, sub)
    client.force_login(world.secretariat_x)

    def queries() -> tuple[int, dict[str, int]]:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(reverse("duediligence:index"))
        return len(ctx.captured_queries), {
            row["covenant"].slug: row["waiting"] for row in r.context["reviewer"]
        }

    queries()
    few, waiting = queries()
    assert waiting == {world.covenant_x.slug: 1}
    for _n in range(3):
        grant_role(world.secretariat_x, make_covenant(), "secretariat")
    many, waiting = queries()
    assert len(waiting) == 4 and waiting[world.covenant_x.slug] == 1
    assert sum(waiting.values()) == 1
    assert many == few


def test_risk_register_on_the_submission_is_in_words_not_codes(client, world, sub) -> None:
    """The member reads the theme, country and involvement by name, in Dutch too."""
    from django.utils import translation

    from imvo.risk.testing import severe_and_mild_risk

    severe_and_mild_risk(world, world.covenant_x)
    client.force_login(world.member_a)
    url = reverse("duediligence:submission", args=[sub.pk])
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    register = page.split("Risk register (prioritised risks)")[1].split("</table>")[0]
    assert "Directly linked to" in register
    assert "directly_linked" not in register
    assert "Bangladesh" in register and ">BD<" not in register
    assert "living-wage" not in register
    # Severity 11 and likelihood 4 read as numbers on a scale, as on the register page.
    assert "Severity (3..12)" in register and "Likelihood (1..4)" in register
    client.cookies["django_language"] = "nl"
    page = client.get(url).content.decode()
    register = page.split("Risicoregister (geprioriteerde risico")[1].split("</table>")[0]
    assert "Is direct verbonden met" in register
    assert "Leefbaar loon" in register


def test_plan_names_scan_risks_in_the_readers_language(client, world, sub) -> None:
    """The scan wrote its titles in Dutch; a member reading in English reads them in English."""
    from imvo.risk import services as risk

    risk.create_entry(
        world.member_a, world.company_a, "forced-labour", "Dwangarbeid - India",
        country="IN", covenant=world.covenant_x,
    )  # fmt: skip
    client.force_login(world.member_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("duediligence:plan", args=[world.covenant_x.slug])).content.decode()
    assert "From your risk register: Forced labour - India" in page
    assert "Dwangarbeid" not in page


def test_scores_say_they_run_to_100(client, world, sub) -> None:
    """The member's and the secretariat's pages showed a bare "70.71" as the score:
    every score on them now says its scale, as the assessment letter does ("/ 100")."""
    import re

    submissions.check_submit(world.member_a, sub)
    sub.refresh_from_db()
    score = f"{sub.self_score} / 100"
    assert sub.self_score is not None
    client.force_login(world.member_a)
    page = client.get(reverse("duediligence:submission", args=[sub.pk])).content.decode()
    assert f"<dd>{score}</dd>" in page
    assert re.search(r"· score \d+\.\d\d / 100", page)  # each element's legend
    client.force_login(world.secretariat_x)
    queue = client.get(reverse("duediligence:queue", args=[world.covenant_x.slug]) + "?year=2025")
    assert f"<td>{score}</td>" in queue.content.decode()
    version = client.get(reverse("duediligence:version", args=[sub.pk, 1])).content.decode()
    assert f"<dd>{score}</dd>" in version
