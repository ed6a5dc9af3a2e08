"""Retention: personal data removed after the covenant's period; key rotation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from imvo.complaints import crypto, evidence
from imvo.complaints.models import Complaint
from imvo.complaints.services import following, publication, retention, workflow
from imvo.complaints.services.access import CaseNotFoundError
from imvo.complaints.tests.helpers import (
    SECRET_TEXT,
    file,
    jpeg_with_exif,
    move,
    walk_to_decision,
)


def test_key_rotation_keeps_data_readable(world):
    filed = file(world, text=SECRET_TEXT, files=[("p.jpg", jpeg_with_exif())])
    old_secret = Complaint.objects.get().secret
    retention.do_rotate_keys()
    c = Complaint.objects.get()
    assert c.secret != old_secret and c.description == SECRET_TEXT
    assert len(crypto.key_file().read_text().split()) == 1
    _ev, data = workflow.evidence_for(world.committee_x, c, "committee", c.evidence.get().pk)
    assert data.startswith(b"\xff\xd8\xff")
    assert filed.complaint.pk == c.pk


def test_retention_removes_personal_data_keeps_publication(world):
    c = file(
        world,
        text=SECRET_TEXT,
        name="Amina",
        contact="x@y.z",
        anonymous=False,
        files=[("p.jpg", jpeg_with_exif())],
    ).complaint
    stored = evidence.evidence_dir() / c.evidence.get().stored_name
    c = walk_to_decision(world.committee_x, c, remedy=True)
    publication.check_draft_publication(
        world.secretariat_x, c, "Wages paid", "The member paid the wages owed."
    )
    publication.check_publish(world.committee_x, c.publication)
    c = move(world.committee_x, c, "remediation")
    c = move(world.committee_x, c, "closed", ground="decided", remedy_carried_out=True)
    assert retention.do_purge_personal_data() == 0  # not yet past the retention period
    later = timezone.now() + timedelta(days=731)
    assert retention.do_purge_personal_data(now=later) == 1
    c.refresh_from_db()
    assert c.secret == "" and c.decision_enc == "" and c.personal_data_removed_at
    assert not stored.exists() and not c.evidence.exists()
    assert all(t.reason_enc == "" for t in c.transitions.all())
    assert publication.published_outcomes().get().text == "The member paid the wages owed."


def test_receipt_codes_stop_working_a_while_after_closure(world, settings):
    """The receipt-code expiry job: open cases and recently closed ones keep their
    code; a case closed longer than the receipt period ago cannot be opened with it."""
    settings.IMVO_RECEIPT_DAYS_AFTER_CLOSURE = 30
    open_case = file(world, text="Still open")
    closed = file(world, text=SECRET_TEXT)
    decided = walk_to_decision(world.committee_x, closed.complaint, remedy=True)
    c = move(world.committee_x, decided, "remediation")
    c = move(world.committee_x, c, "closed", ground="decided", remedy_carried_out=True)
    assert following.complaint_by_receipt(closed.receipt).pk == c.pk

    assert retention.do_expire_receipts() == 0  # closed today: the code still works
    later = timezone.now() + timedelta(days=31)
    assert retention.do_expire_receipts(now=later) == 1
    assert retention.do_expire_receipts(now=later) == 0  # once
    with pytest.raises(CaseNotFoundError):
        following.complaint_by_receipt(closed.receipt)
    assert following.complaint_by_receipt(open_case.receipt).pk == open_case.complaint.pk
    assert Complaint.objects.get(pk=c.pk).description == SECRET_TEXT  # the case is kept


def test_receipt_expiry_is_a_scheduled_job():
    from imvo.core import schedule

    assert "complaints-receipt-expiry" in {job.name for job in schedule.jobs()}


def _every_encrypted_text_filled(world):
    """A case with a value in every kind of encrypted field: a settlement, a step's
    note, a translation, a consent, an after-closure comment and follow-up note,
    a respondent naming's reasons, an answer file's name."""
    from imvo.complaints.models import AfterClosureCheck, OnBehalfConsent, Translation
    from imvo.complaints.services import answers, respondents
    from imvo.complaints.tests.helpers import assign_officer
    from imvo.core.testing import one_page_pdf

    c = file(world, text=SECRET_TEXT).complaint
    c = move(world.secretariat_x, c, "acknowledged", note="Note for the committee only.")
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    respondents.check_name_respondents(world.committee_x, c, [world.company_a.pk], SECRET_TEXT)
    c = move(world.committee_x, c, "admissible")
    c = move(world.committee_x, c, "mediation")
    answers.check_company_answer(world.member_a, c, "Answer.", [("a.pdf", one_page_pdf())])
    c = move(world.committee_x, c, "remediation", settlement_terms="Wages paid in June.")
    Translation.objects.create(complaint=c, language="nl", text_enc=crypto.encrypt("Vertaling"))
    OnBehalfConsent.objects.create(
        complaint=c, organisation=world.company_b, who_enc=crypto.encrypt("Rina, Jui"),
        how="signed", given_on=timezone.localdate(), recorded_by=world.secretariat_x,
    )  # fmt: skip
    AfterClosureCheck.objects.create(
        complaint=c, months=3, asked_on=timezone.localdate(),
        comment_enc=crypto.encrypt("Comment"), follow_up_note_enc=crypto.encrypt("Called"),
    )  # fmt: skip
    return c


def test_rotation_re_encrypts_every_encrypted_field_of_every_model(world):
    _every_encrypted_text_filled(world)
    found = {(m.__name__, n) for m, names in retention.encrypted_fields() for n in names}
    assert {
        ("Complaint", "secret"), ("Complaint", "settlement_enc"), ("Transition", "note_enc"),
        ("Translation", "text_enc"), ("OnBehalfConsent", "who_enc"),
        ("AfterClosureCheck", "follow_up_note_enc"), ("RespondentNaming", "reason_enc"),
        ("Evidence", "name_enc"), ("Message", "body_enc"),
    } <= found  # fmt: skip
    before = {
        (m.__name__, n): sorted(m._default_manager.exclude(**{n: ""}).values_list(n, flat=True))
        for m, names in retention.encrypted_fields()
        for n in names
    }
    retention.do_rotate_keys()  # the old key is dropped: only the new one decrypts
    for model, names in retention.encrypted_fields():
        for name in names:
            tokens = [t for t in model._default_manager.values_list(name, flat=True) if t]
            assert len(tokens) == len(before[(model.__name__, name)]), (model, name)
            assert not set(tokens) & set(before[(model.__name__, name)]), (model, name)
            for t in tokens:
                crypto.decrypt(t)  # raises if a value was left with the old key


def test_purge_empties_every_encrypted_text_of_the_case(world):
    from imvo.complaints.models import RespondentNaming

    c = _every_encrypted_text_filled(world)
    c = move(world.committee_x, c, "closed", remedy_carried_out=True, ground="settled")
    assert retention.do_purge_personal_data(now=timezone.now() + timedelta(days=3650)) == 1
    for model, names in retention.encrypted_fields():
        for name in names:
            left = model._default_manager.exclude(**{name: ""}).values_list(name, flat=True)
            assert not list(left), (model, name)
    assert RespondentNaming.objects.filter(complaint=c).exists()  # who and when stay
