"""The case workflow: due dates, the transition table, reasons for every step,
closure only on a recorded ground, what the company sees."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.complaints.models import (
    CLOSURE_FROM,
    TRANSITIONS,
    AuditEntry,
    ClosureGround,
    Complaint,
    State,
)
from imvo.complaints.services import following, workflow
from imvo.complaints.tests.helpers import (
    REASON,
    admit,
    assign_officer,
    blocked_case,
    file,
    move,
    walk_to_decision,
)
from imvo.core.errors import DomainError, PermissionDeniedError


def test_workflow_due_dates_and_transition_record(world):
    c = file(world).complaint
    assert c.state == State.RECEIVED
    assert c.due == timezone.localdate() + timedelta(days=7)
    c = move(world.secretariat_x, c, "acknowledged", "We received your complaint and read it.")
    assert c.due == timezone.localtime(c.filed_at).date() + timedelta(days=30)
    with pytest.raises(DomainError, match="cannot move"):
        move(world.committee_x, c, "decision", decision_text="y")
    with pytest.raises(DomainError, match="case officer"):
        move(world.secretariat_x, c, "admissibility")
    c = assign_officer(c)
    c = move(world.secretariat_x, c, "admissibility")
    with pytest.raises(PermissionDeniedError, match="Only the complaints committee"):
        move(world.secretariat_x, c, "admissible")
    c = move(world.committee_x, c, "admissible", "Within the covenant's scope")
    t = c.transitions.last()
    assert t is not None
    assert (t.from_state, t.to_state, t.by, t.reason) == (
        "admissibility",
        "admissible",
        world.committee_x,
        "Within the covenant's scope",
    )
    c = move(world.committee_x, c, "investigation")
    with pytest.raises(DomainError, match="Write the decision"):
        move(world.committee_x, c, "decision")
    c = move(world.committee_x, c, "decision", decision_text="Pay wages", remedy_agreed=True)
    assert c.decided_at and c.decision_text == "Pay wages" and c.remedy_agreed


@pytest.mark.parametrize("reason", ["", "   ", "ok", "see file"])
def test_every_step_needs_reasons_written_for_the_complainant(world, reason):
    c = file(world).complaint
    with pytest.raises(DomainError, match="reasons for the complainant"):
        workflow.check_move(world.secretariat_x, c, "acknowledged", reason)
    c.refresh_from_db()
    assert c.state == State.RECEIVED and not c.transitions.exists()


FORBIDDEN = [(a, b) for a in State.values for b in State.values if b not in TRANSITIONS.get(a, [])]


@pytest.mark.parametrize(("from_state", "to_state"), FORBIDDEN)
def test_the_table_refuses_every_transition_it_does_not_list(world, from_state, to_state):
    c = assign_officer(file(world).complaint)
    Complaint.objects.filter(pk=c.pk).update(state=from_state)
    c.refresh_from_db()
    with pytest.raises(DomainError, match="cannot move"):
        move(
            world.committee_x,
            c,
            to_state,
            ground="withdrawn" if to_state == State.CLOSED else "not_member",
            decision_text="A decision",
        )
    c.refresh_from_db()
    assert c.state == from_state and not c.transitions.exists()


def test_inadmissibility_needs_a_ground_from_the_list(world):
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    for ground in ("", "because", "withdrawn"):
        with pytest.raises(DomainError, match="ground on which the complaint is inadmissible"):
            move(world.committee_x, c, "inadmissible", ground=ground)
    c = move(
        world.committee_x, c, "inadmissible", "Dit gaat niet over een lid.", ground="not_member"
    )
    assert c.admissible is False
    assert c.transitions.last().ground == "not_member"


OPEN_STATES = [s for s in State.values if s != State.CLOSED]


# Pairs (ground, open state): the grounds a state may not close on, and those it may.
# Each pair is its own case, so the table is walked both ways without skipping.
CLOSURES = [(g, s) for g in ClosureGround.values for s in OPEN_STATES]
UNFIT_CLOSURES = [(g, s) for g, s in CLOSURES if s not in CLOSURE_FROM[g]]
FIT_CLOSURES = [(g, s) for g, s in CLOSURES if s in CLOSURE_FROM[g]]


@pytest.mark.parametrize(("ground", "from_state"), UNFIT_CLOSURES)
def test_closure_ground_must_fit_the_state(world, ground, from_state):
    c = assign_officer(file(world).complaint)
    Complaint.objects.filter(pk=c.pk).update(state=from_state)
    with pytest.raises(DomainError, match="cannot close on the ground"):
        move(world.committee_x, c, "closed", ground=ground)
    assert Complaint.objects.get(pk=c.pk).state == from_state


@pytest.mark.parametrize(("ground", "from_state"), FIT_CLOSURES)
def test_a_fitting_ground_is_judged_on_its_record_not_refused_for_the_state(
    world, ground, from_state
):
    """A ground the table allows from this state passes the state check; what
    may still refuse it is the record the ground needs (tested one by one below)."""
    c = assign_officer(file(world).complaint)
    Complaint.objects.filter(pk=c.pk).update(state=from_state)
    c.refresh_from_db()
    refusal = workflow.closure_refusal(c, ground, now=timezone.now())
    assert "cannot close on the ground" not in refusal
    # A bare case has none of the records a ground needs, so it never closes hollow.
    assert refusal


def test_closure_without_a_ground_is_refused_in_every_state(world):
    c = assign_officer(file(world).complaint)
    for state in OPEN_STATES:
        Complaint.objects.filter(pk=c.pk).update(state=state)
        with pytest.raises(DomainError, match="Choose the ground on which the case closes"):
            move(world.committee_x, c, "closed", ground="")


def test_decided_closure_needs_the_remedy_followed_up_and_the_appeal_window_past(world):
    c = walk_to_decision(world.committee_x, file(world).complaint, remedy=True)
    with pytest.raises(DomainError, match="orders a remedy"):
        move(world.committee_x, c, "closed", ground="decided")
    c = move(world.committee_x, c, "remediation")
    with pytest.raises(DomainError, match="whether the remedy was carried out"):
        move(world.committee_x, c, "closed", ground="decided")
    c = move(world.committee_x, c, "closed", ground="decided", remedy_carried_out=False)
    assert (c.state, c.closure_ground, c.remedy_carried_out) == ("closed", "decided", False)

    d = walk_to_decision(world.committee_x, file(world).complaint, remedy=False)
    with pytest.raises(DomainError, match="appeal window is open"):
        move(world.committee_x, d, "closed", ground="decided")
    later = timezone.now() + timedelta(days=31)
    d = move(world.committee_x, d, "closed", ground="decided", now=later)
    assert d.closure_ground == "decided"


def test_settlement_needs_its_terms(world):
    c = move(world.committee_x, admit(world.committee_x, file(world).complaint), "mediation")
    with pytest.raises(DomainError, match="terms the parties agreed"):
        move(world.committee_x, c, "closed", ground="settled")
    with pytest.raises(DomainError, match="terms the parties agreed"):
        move(world.committee_x, c, "remediation")
    c = move(
        world.committee_x,
        c,
        "closed",
        ground="settled",
        settlement_terms="The supplier pays three months' wages by 1 March.",
    )
    assert c.remedy_agreed and c.settlement_terms.startswith("The supplier pays")
    view = following.complainant_view(c)
    assert view["settlement"].startswith("The supplier pays")
    assert view["closure_ground"] == "Settled in dialogue or mediation"


def test_only_the_complainant_can_withdraw(world):
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    with pytest.raises(DomainError, match="no withdrawal was received"):
        move(world.secretariat_x, c, "closed", ground="withdrawn")
    following.check_complainant_reply(c, "I found another job; I stop here.", withdraw=True)
    c = move(world.secretariat_x, c, "closed", ground="withdrawn")
    assert c.closure_ground == "withdrawn"
    with pytest.raises(DomainError, match="closed already"):
        following.check_complainant_reply(c, "again", withdraw=True)


def test_inadmissible_closure_waits_for_the_appeal_window(world):
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    c = move(world.committee_x, c, "inadmissible", ground="out_of_scope")
    with pytest.raises(DomainError, match="appeal window is open"):
        move(world.committee_x, c, "closed", ground="inadmissible")
    c = move(
        world.committee_x,
        c,
        "closed",
        ground="inadmissible",
        now=timezone.now() + timedelta(days=31),
    )
    assert c.closure_ground == "inadmissible"


def test_no_contact_closure_needs_three_unanswered_messages_over_four_weeks(world):
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    for _ in range(2):
        workflow.check_post_message(world.secretariat_x, c, "Please reply", to_complainant=True)
    later = timezone.now() + timedelta(days=29)
    with pytest.raises(DomainError, match="3 unanswered messages"):
        move(world.secretariat_x, c, "closed", ground="no_contact", now=later)
    workflow.check_post_message(world.secretariat_x, c, "Please reply", to_complainant=True)
    with pytest.raises(DomainError, match="over at least 28 days"):
        move(world.secretariat_x, c, "closed", ground="no_contact")
    c = move(world.secretariat_x, c, "closed", ground="no_contact", now=later)
    assert c.closure_ground == "no_contact"


def test_a_reply_resets_the_contact_attempts(world):
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    for _ in range(3):
        workflow.check_post_message(world.secretariat_x, c, "Please reply", to_complainant=True)
    following.check_complainant_reply(c, "I am here")
    with pytest.raises(DomainError, match="unanswered"):
        move(
            world.secretariat_x,
            c,
            "closed",
            ground="no_contact",
            now=timezone.now() + timedelta(days=60),
        )


def test_reasons_and_grounds_reach_the_complainant(world):
    c = move(
        world.secretariat_x, file(world).complaint, "acknowledged", "Wij hebben het ontvangen."
    )
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    c = move(
        world.committee_x,
        c,
        "inadmissible",
        "The factory does not supply any member of this covenant.",
        ground="not_member",
        note="Checked the supplier lists of all members.",
    )
    view = following.complainant_view(c)
    assert [s["state"] for s in view["steps"]] == ["acknowledged", "admissibility", "inadmissible"]
    last = view["steps"][-1]
    assert last["reason"] == "The factory does not supply any member of this covenant."
    assert last["ground_label"] == "It is not about a covenant member or its supply chain"
    assert "Checked the supplier lists" not in str(view)  # the committee's note stays inside
    assert view["appealable"]


def test_appeal_is_decided_by_a_member_who_took_no_part_in_the_decision(world):
    first = world.committee_x
    other = world.recused_committee_x  # a second member of the committee (not recused here)
    c = walk_to_decision(first, file(world).complaint)
    following.check_complainant_reply(c, "The decision ignores my overtime.", appeal=True)
    c = move(first, c, "appeal")  # opening the appeal is procedure
    with pytest.raises(DomainError, match="took no part in the first decision"):
        move(first, c, "decision", decision_text="Upheld.")
    c = move(other, c, "decision", decision_text="Upheld, and overtime is added.")
    assert c.transitions.last().by == other
    with pytest.raises(DomainError, match="appealed already"):
        move(other, c, "appeal")
    # An appeal decision is final: no window to wait for before closing.
    c = move(other, c, "closed", ground="decided")
    assert c.closure_ground == "decided"


def test_appeal_against_inadmissibility_can_admit(world):
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    c = move(world.committee_x, c, "inadmissible", ground="too_little")
    c = move(world.committee_x, c, "appeal")
    with pytest.raises(DomainError, match="Only an appeal against a decision"):
        move(world.recused_committee_x, c, "decision", decision_text="x")
    c = move(world.recused_committee_x, c, "admissible")
    assert c.admissible is True


def test_recusal_below_quorum_blocks_the_case_and_tells_the_secretariat(world, client):
    c = blocked_case(world)
    assert AuditEntry.objects.filter(action="quorum-lost", complaint_id_ref=c.pk).exists()
    with pytest.raises(DomainError, match="blocked"):
        move(world.committee_x, c, "admissible")
    client.force_login(world.secretariat_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert 'id="blocked"' in page and "appoint a substitute" in page


def test_company_never_sees_anonymous_identity(world):
    c = file(
        world,
        respondent=world.company_a,
        name="Amina Begum",
        anonymous=True,
        share_identity_with_company=True,
    ).complaint
    assert not c.share_identity_with_company  # anonymity wins
    c = admit(world.committee_x, c)
    workflow.check_post_message(world.committee_x, c, "For the committee only")
    workflow.check_post_message(world.committee_x, c, "Please answer", to_company=True)
    view = workflow.case_view(world.member_a, c, "company")
    assert view["identity"] == ""
    assert [m["body"] for m in view["case_messages"]] == ["Please answer"]
    assert "data" not in view
    assert REASON  # the helper's reasons are long enough to pass
