"""The yearly cycle: draft -> submitted -> review -> revise / decide; versions; escalation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, AdherenceChange
from imvo.duediligence import services
from imvo.duediligence.models import Action, RemediationCase, Submission, SubmissionVersion
from imvo.testing import adhere, make_agreement, make_org

from .helpers import GARMENT_ANSWERS, answer_all

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + timedelta(days=180)


@pytest.fixture
def fw(world):
    return services.install_framework(world.secretariat_x, world.covenant_x, "garment")


def _submitted(world) -> Submission:
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    services.submit(world.member_a, sub)
    sub.refresh_from_db()
    return sub


def test_submit_needs_every_scored_answer(world, fw) -> None:
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, {"policy-adopted": "yes"})
    with pytest.raises(DomainError, match="Answer every question"):
        services.submit(world.member_a, sub)
    sub.refresh_from_db()
    assert sub.status == Submission.Status.DRAFT
    assert not sub.versions.exists()


def test_bad_answer_names_the_question(world, fw) -> None:
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    q = fw.elements.get(code="policy").questions.get(code="policy-adopted")
    with pytest.raises(DomainError, match="policy-adopted: answer yes, partly or no"):
        services.save_answers(world.member_a, sub, {q.pk: ("maybe", "")})


def test_year_must_be_within_the_covenant(world, fw) -> None:
    with pytest.raises(DomainError, match="cannot be started yet"):
        services.start_submission(world.member_a, world.covenant_x, timezone.localdate().year + 1)
    with pytest.raises(DomainError, match="started in 2024"):
        services.start_submission(world.member_a, world.covenant_x, 2023)


def test_no_framework_is_a_clear_error(world) -> None:
    with pytest.raises(DomainError, match="not yet published"):
        services.start_submission(world.member_a, world.covenant_x, 2025)


def test_full_cycle_with_revision_keeps_every_version(world, fw) -> None:
    sub = _submitted(world)
    assert sub.status == Submission.Status.SUBMITTED
    assert sub.self_score == Decimal("65.71")
    # Submitted: the member can no longer change it.
    with pytest.raises(DomainError, match="can only be changed"):
        services.save_answers(world.member_a, sub, {})
    services.start_review(world.secretariat_x, sub)
    with pytest.raises(DomainError, match="Write feedback"):
        services.review(world.secretariat_x, sub, {}, "", "revise")
    services.review(world.secretariat_x, sub, {}, "Add actions for living wage.", "revise")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.REVISE
    answer_all(world.member_a, sub, {**GARMENT_ANSWERS, "all-themes": "yes"})
    services.submit(world.member_a, sub)
    with pytest.raises(DomainError, match="deadline for improvement"):
        services.review(world.secretariat_x, sub, {}, "Better.", "decide", "partly")
    services.review(world.secretariat_x, sub, {}, "Better.", "decide", "meets")
    sub.refresh_from_db()
    assert sub.status == Submission.Status.DECIDED
    assert sub.decision == "meets"
    # (15*62.5 + 20*75 + 40*90 + 15*66.67 + 10*33.33) / 100
    assert sub.score == Decimal("73.71")
    versions = list(sub.versions.order_by("number"))
    assert [v.status for v in versions] == ["submitted", "revise", "submitted", "decided"]
    assert versions[0].data["self_score"] == "65.71"
    assert versions[3].data["assessed_score"] == "73.71"
    # Versions are immutable.
    with pytest.raises(DomainError):
        versions[0].save()
    assert SubmissionVersion.objects.filter(submission=sub).count() == 4


def test_only_the_covenants_secretariat_reviews(world, fw) -> None:
    sub = _submitted(world)
    for user in (world.secretariat_y, world.member_a, world.member_b, world.committee_x):
        with pytest.raises(PermissionDeniedError):
            services.review(user, sub, {}, "x", "decide", "meets")
    with pytest.raises(PermissionDeniedError):
        services.review_queue(world.secretariat_y, world.covenant_x)


def test_secretariat_cannot_open_a_draft(world, fw) -> None:
    draft = services.start_submission(world.member_a, world.covenant_x, 2025)
    with pytest.raises(services.NotFound):
        services.get_submission(world.secretariat_x, draft.pk)
    assert services.get_submission(world.member_a, draft.pk) == draft
    # It still shows in the queue as "draft", without its content.
    assert list(services.review_queue(world.secretariat_x, world.covenant_x, 2025)) == [draft]


def test_scoping_of_submissions(world, fw) -> None:
    sub = _submitted(world)
    assert list(services.submissions_visible_to(world.member_a)) == [sub]
    assert not services.submissions_visible_to(world.member_b).exists()
    assert not services.submissions_visible_to(world.secretariat_y).exists()
    assert list(services.submissions_visible_to(world.secretariat_x)) == [sub]
    with pytest.raises(services.NotFound):
        services.get_submission(world.member_b, sub.pk)
    # A company in another covenant cannot open a submission there.
    with pytest.raises(PermissionDeniedError):
        services.start_submission(world.member_c, world.covenant_x, 2025)


def test_a_union_party_keeps_no_submission(world, fw) -> None:
    union = make_org("Union U", type="union")
    adhere(world.covenant_x, union)
    with pytest.raises(PermissionDeniedError):
        services.start_submission(make_user("u1", union), world.covenant_x, 2025)


def test_suspended_member_cannot_submit(world, fw) -> None:
    Adherence.objects.filter(organisation=world.company_a).update(status="suspended")
    with pytest.raises(PermissionDeniedError):
        services.start_submission(world.member_a, world.covenant_x, 2025)


def test_next_year_carries_answers_over(world, fw) -> None:
    _submitted(world)
    nxt = services.start_submission(world.member_a, world.covenant_x, 2026)
    assert nxt.status == Submission.Status.DRAFT
    assert services.scorecard(nxt).self_score == Decimal("65.71")


def test_action_plan_and_progress(world, fw, tmp_path, settings) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    ag = make_agreement(world.covenant_x)
    other_ag = make_agreement(world.covenant_y)
    a = services.save_action(
        world.member_a,
        world.covenant_x,
        agreements=[ag],
        what="Living-wage pilot",
        owner="CSR manager",
        start=timezone.localdate() - timedelta(days=100),
        deadline=timezone.localdate() + timedelta(days=100),
        target="2 suppliers pay a living wage",
        budget=Decimal(5000),
    )
    assert services.action_status(a) == "behind"  # half the time gone, 0% done
    with pytest.raises(DomainError, match="agreements"):
        services.save_action(world.member_a, world.covenant_x, a, agreements=[other_ag])
    with pytest.raises(DomainError, match="SMART"):
        services.save_action(
            world.member_a, world.covenant_x, what="x", owner="", deadline=LATER, target="t"
        )
    upd = services.add_progress(
        world.member_a,
        a,
        50,
        "Two suppliers signed up.",
        SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf"),
    )
    a.refresh_from_db()
    assert a.status == Action.Status.IN_PROGRESS
    assert services.action_status(a) == "on_track"
    assert upd.evidence.read() == b"%PDF-1.4 minutes"
    with pytest.raises(DomainError, match=r"evil\.exe"):
        services.add_progress(world.member_a, a, 60, "x", SimpleUploadedFile("evil.exe", b"MZ"))
    # Any bytes named .pdf are no evidence: the content must be a PDF (core.uploads).
    with pytest.raises(DomainError, match=r"fake\.pdf does not look like a \.pdf file"):
        services.add_progress(
            world.member_a, a, 60, "x", SimpleUploadedFile("fake.pdf", b"MZ\x90 not a pdf")
        )
    with pytest.raises(services.NotFound):
        services.add_progress(world.member_b, a, 60, "not mine")
    # The action plan is part of the submitted snapshot.
    sub = services.start_submission(world.member_a, world.covenant_x, timezone.localdate().year)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    v = services.submit(world.member_a, sub)
    assert [x["what"] for x in v.data["action_plan"]] == ["Living-wage pilot"]
    assert v.data["action_plan"][0]["agreements"] == [ag.number]


def test_remediation_case(world, fw) -> None:
    with pytest.raises(DomainError, match="remedy"):
        services.save_case(
            world.member_a,
            world.covenant_x,
            what_happened="Unpaid overtime",
            affected="40 workers",
            status="remedied",
            remedy="",
        )
    c = services.save_case(
        world.member_a,
        world.covenant_x,
        what_happened="Unpaid overtime",
        affected="40 workers",
        remedy="Back pay",
        status="remedied",
    )
    assert list(RemediationCase.objects.visible_to(world.member_b)) == []
    assert list(RemediationCase.objects.visible_to(world.member_a)) == [c]


def test_escalation_changes_adherence(world, fw) -> None:
    sec, cov, org = world.secretariat_x, world.covenant_x, world.company_b
    with pytest.raises(DomainError, match="reason"):
        services.record_escalation(sec, cov, org, "dialogue", "  ")
    services.record_escalation(sec, cov, org, "dialogue", "No action plan", deadline=LATER)
    services.record_escalation(sec, cov, org, "formal_notice", "Still none")
    with pytest.raises(DomainError, match="already at"):
        services.record_escalation(sec, cov, org, "dialogue", "back to talking")
    services.record_escalation(sec, cov, org, "suspension", "No plan after notice")
    adh = Adherence.objects.get(covenant=cov, organisation=org)
    assert adh.status == Adherence.Status.SUSPENDED
    assert AdherenceChange.objects.filter(adherence=adh, to_status="suspended").exists()
    # A suspended member is no longer a member for submissions.
    with pytest.raises(PermissionDeniedError):
        services.start_submission(world.member_b, cov, 2025)
    services.record_escalation(sec, cov, org, "exclusion", "Persistently falls short")
    adh.refresh_from_db()
    assert adh.status == Adherence.Status.WITHDRAWN
    with pytest.raises(DomainError, match="excluded"):
        services.record_escalation(sec, cov, org, "resolved", "oops")
    with pytest.raises(PermissionDeniedError):
        services.record_escalation(world.secretariat_y, cov, world.company_a, "dialogue", "x")


def test_resolved_reinstates_a_suspended_member(world, fw) -> None:
    sec, cov, org = world.secretariat_x, world.covenant_x, world.company_a
    services.record_escalation(sec, cov, org, "suspension", "No plan")
    services.record_escalation(sec, cov, org, "resolved", "Plan approved")
    assert Adherence.objects.get(covenant=cov, organisation=org).status == "active"
    assert services.current_escalation(cov, org) is None


def test_covenant_figures(world, fw) -> None:
    from imvo.covenants.models import Theme

    # Three member companies in 2025: A meets, B does not, C only drafts.
    c = make_org("Company D")
    adhere(world.covenant_x, c)
    member_d = make_user("member_d", c)
    for user, decision, answers in (
        (world.member_a, "meets", {k: "yes" for k in GARMENT_ANSWERS}),
        (world.member_b, "does_not_meet", {k: "no" for k in GARMENT_ANSWERS}),
    ):
        sub = services.start_submission(user, world.covenant_x, 2025)
        answer_all(user, sub, answers)
        services.submit(user, sub)
        policy = fw.elements.get(code="policy")
        services.review(
            world.secretariat_x,
            sub,
            {policy.pk: ("80", "")},
            "ok",
            "decide",
            decision,
            None if decision == "meets" else LATER,
        )
    services.start_submission(member_d, world.covenant_x, 2025)
    theme = Theme.objects.create(
        code="living-wage",
        name_nl="Leefbaar loon",
        name_en="Living wage",
        covenant=world.covenant_x,
    )
    for user in (world.member_a, world.member_b):
        services.save_action(
            user, world.covenant_x, what="w", owner="o", target="t", theme=theme, deadline=LATER
        )
    f = services.covenant_figures(world.covenant_x)
    (y,) = f["years"]
    assert y["year"] == 2025
    assert y["members"] == 3
    assert (y["submitted"], y["assessed"], y["meets"], y["does_not_meet"]) == (2, 2, 1, 1)
    assert y["share_assessed"] == 66.7
    assert y["share_meets"] == 50.0
    # Policy: both reviewed at 80; elsewhere A's answers give 100 and B's 0.
    assert y["elements"]["Policy and management"] == 80.0
    assert y["elements"]["Targets and actions for all themes"] == 50.0
    # A: 100 everywhere except policy 80 -> 97; B: 0 except policy 80 -> 12; mean 54.5
    assert y["mean_score"] == 54.5
    assert f["themes"] == [(theme.name, 2)]
    assert f["actions_total"] == 2


def test_improvements_overdue(world, fw) -> None:
    from imvo.duediligence.models import Submission as S

    for user, decision in ((world.member_a, "partly"), (world.member_b, "does_not_meet")):
        sub = services.start_submission(user, world.covenant_x, 2024)
        answer_all(user, sub, GARMENT_ANSWERS)
        services.submit(user, sub)
        services.review(world.secretariat_x, sub, {}, "improve", "decide", decision, LATER)
    after = LATER + timedelta(days=1)
    overdue = services.improvements_overdue(world.secretariat_x, world.covenant_x, after)
    assert {s.organisation for s in overdue} == {world.company_a, world.company_b}
    assert not services.improvements_overdue(world.secretariat_x, world.covenant_x).exists()
    # B meets the next year: no longer overdue.
    nxt = services.start_submission(world.member_b, world.covenant_x, 2025)
    answer_all(world.member_b, nxt, GARMENT_ANSWERS)
    services.submit(world.member_b, nxt)
    services.review(world.secretariat_x, nxt, {}, "good", "decide", "meets")
    overdue = services.improvements_overdue(world.secretariat_x, world.covenant_x, after)
    assert [s.organisation for s in overdue] == [world.company_a]
    assert S.objects.filter(decision="meets").count() == 1


def test_submission_freezes_the_members_real_risk_register(world, fw) -> None:
    """The risk engine's register, read through the agreed interface, is snapshotted on submit."""
    from imvo.risk import services as risk

    severe = risk.create_entry(
        world.member_a,
        world.company_a,
        "forced-labour",
        "Forced labour, cotton",
        country="CN",
        covenant=world.covenant_x,
        scale=4,
        scope=3,
        irremediability=4,
        likelihood=2,
    )
    mild = risk.create_entry(
        world.member_a,
        world.company_a,
        "living-wage",
        "Overtime pay",
        country="BD",
        covenant=world.covenant_x,
        scale=1,
        scope=1,
        irremediability=1,
        likelihood=4,
    )
    risk.create_entry(world.member_b, world.company_b, "child-labour", "Other member's risk")
    sub = services.start_submission(world.member_a, world.covenant_x, 2025)
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    v = services.submit(world.member_a, sub)
    v.refresh_from_db()
    titles = [e["title"] for e in v.data["risk_register"]]
    assert titles == ["Forced labour, cotton", "Overtime pay"]  # severe first (UNGP 24)
    assert v.data["risk_register"][0]["id"] == severe.pk
    # Later edits to the register do not change what was submitted.
    mild.title = "changed"
    mild.save()
    v.refresh_from_db()
    assert [e["title"] for e in v.data["risk_register"]] == titles
