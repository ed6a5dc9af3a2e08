import os
import stat
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from imvo.complaints import crypto, services
from imvo.complaints.models import AuditEntry, Complaint, State
from imvo.complaints.tests.helpers import file, jpeg_with_exif, walk_to_decision
from imvo.core.errors import DomainError, PermissionDeniedError

SECRET_TEXT = "Supervisor Rahim locked the exit doors at Factory Seven"


def test_receipt_code_is_long_grouped_and_only_its_hash_is_stored(world):
    filed = file(world)
    code = filed.receipt
    assert len(code.replace("-", "")) == 20 and code.count("-") == 4
    c = Complaint.objects.get(pk=filed.complaint.pk)
    assert code not in c.receipt_hash and c.receipt_hash == services.hash_receipt(code)
    # Read aloud: lower case, spaces and O/0 confusion still find it.
    spoken = code.lower().replace("-", " ").replace("0", "o")
    assert services.complaint_by_receipt(spoken).pk == c.pk
    with pytest.raises(services.CaseNotFoundError):
        services.complaint_by_receipt("AAAA-BBBB-CCCC-DDDD-EEEE")


def test_raw_database_holds_no_plaintext(world):
    file(world, text=SECRET_TEXT, name="Amina Begum", contact="+880 1711 000000", anonymous=False)
    with connection.cursor() as cur:
        for table in (
            "complaints_complaint",
            "complaints_message",
            "complaints_transition",
            "complaints_auditentry",
        ):
            cur.execute(f"SELECT * FROM {table}")  # noqa: S608
            dump = repr(cur.fetchall())
            for needle in ("Rahim", "Factory Seven", "Amina", "1711"):
                assert needle not in dump, (table, needle)
    c = Complaint.objects.get()
    assert c.description == SECRET_TEXT
    assert c.confidential()["name"] == "Amina Begum"


def test_key_file_created_0600_and_wrong_key_refuses(world, tmp_path, monkeypatch):
    file(world, text=SECRET_TEXT)
    mode = stat.S_IMODE(os.stat(crypto.key_file()).st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(os.stat(crypto.key_file().parent).st_mode) == 0o700
    monkeypatch.setenv("IMVO_COMPLAINTS_KEY_FILE", str(tmp_path / "other.key"))
    crypto.forget_keys()
    with pytest.raises(crypto.KeyError_):
        _ = Complaint.objects.get().description


def test_key_rotation_keeps_data_readable(world):
    filed = file(world, text=SECRET_TEXT, files=[("p.jpg", jpeg_with_exif())])
    old_secret = Complaint.objects.get().secret
    services.rotate_keys()
    c = Complaint.objects.get()
    assert c.secret != old_secret and c.description == SECRET_TEXT
    assert len(crypto.key_file().read_text().split()) == 1
    _ev, data = services.evidence_for(world.committee_x, c, "committee", c.evidence.get().pk)
    assert data.startswith(b"\xff\xd8\xff")
    assert filed.complaint.pk == c.pk


def test_evidence_is_sniffed_stripped_and_encrypted(world):
    photo = jpeg_with_exif()
    assert b"SecretPhoneMaker" in photo
    c = file(world, files=[("photo.pdf", photo)]).complaint
    ev = c.evidence.get()
    assert ev.content_type == "image/jpeg"  # by content, not by name
    raw = (services.evidence_dir() / ev.stored_name).read_bytes()
    assert not raw.startswith(b"\xff\xd8") and b"SecretPhoneMaker" not in raw
    _ev, data = services.evidence_for(world.committee_x, c, "committee", ev.pk)
    assert b"SecretPhoneMaker" not in data and b"GPS-Tracker-App" not in data
    assert ev.original_name == "photo.pdf"


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("photo.jpg", b"<script>alert(1)</script>", "not a photo"),
        ("big.jpg", b"\xff\xd8\xff" + b"0" * (6 * 1024 * 1024), "too large"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"junk" * 10, "damaged"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_bad_evidence_refused_with_reason_and_nothing_saved(world, name, data, why):
    with pytest.raises(DomainError, match=why) as e:
        file(world, files=[(name, data)])
    assert name in str(e.value)
    assert Complaint.objects.count() == 0


def test_workflow_due_dates_and_transition_record(world):
    c = file(world).complaint
    assert c.state == State.RECEIVED
    assert c.due == timezone.localdate() + timedelta(days=7)
    c = services.move(world.secretariat_x, c, "acknowledged", "confirmed")
    assert c.due == timezone.localtime(c.filed_at).date() + timedelta(days=30)
    with pytest.raises(DomainError, match="cannot move"):
        services.move(world.committee_x, c, "decision", "x", decision_text="y")
    c = services.move(world.secretariat_x, c, "admissibility")
    with pytest.raises(PermissionDeniedError, match="Only the complaints committee"):
        services.move(world.secretariat_x, c, "admissible", "ok")
    with pytest.raises(DomainError, match="reasons"):
        services.move(world.committee_x, c, "admissible", "")
    c = services.move(world.committee_x, c, "admissible", "Within the covenant's scope")
    t = c.transitions.last()
    assert (t.from_state, t.to_state, t.by, t.reason) == (
        "admissibility",
        "admissible",
        world.committee_x,
        "Within the covenant's scope",
    )
    c = services.move(world.committee_x, c, "investigation")
    with pytest.raises(DomainError, match="Write the decision"):
        services.move(world.committee_x, c, "decision", "reasons")
    c = services.move(
        world.committee_x, c, "decision", "reasons", decision_text="Pay wages", remedy_agreed=True
    )
    assert c.decided_at and c.decision_text == "Pay wages" and c.remedy_agreed


def test_access_rules(world):
    c = file(world, respondent=world.company_a).complaint
    assert set(services.complaints_visible_to(world.committee_x)) == {c}
    assert set(services.complaints_visible_to(world.secretariat_x)) == {c}
    for outsider in (world.secretariat_y, world.member_b, world.member_c, world.admin):
        assert not services.complaints_visible_to(outsider).exists()
        with pytest.raises(services.CaseNotFoundError):
            services.get_case(outsider, c.pk)
    # The company complained about sees nothing before admissibility is decided...
    assert not services.complaints_visible_to(world.member_a).exists()
    services.move(world.secretariat_x, c, "acknowledged")
    services.move(world.secretariat_x, c, "admissibility")
    c = services.move(world.committee_x, c, "admissible", "ok")
    _case, role = services.get_case(world.member_a, c.pk)
    assert role == "company"
    with pytest.raises(services.CaseNotFoundError):
        services.move(world.member_a, c, "mediation")


def test_company_never_sees_anonymous_identity(world):
    c = file(
        world,
        respondent=world.company_a,
        name="Amina Begum",
        anonymous=True,
        share_identity_with_company=True,
    ).complaint
    assert not c.share_identity_with_company  # anonymity wins
    for s in ("acknowledged", "admissibility"):
        c = services.move(world.secretariat_x, c, s)
    c = services.move(world.committee_x, c, "admissible", "ok")
    services.post_message(world.committee_x, c, "For the committee only")
    services.post_message(world.committee_x, c, "Please answer", to_company=True)
    view = services.case_view(world.member_a, c, "company")
    assert view["identity"] == ""
    assert [m["body"] for m in view["case_messages"]] == ["Please answer"]
    assert "data" not in view


def test_recused_member_cannot_open_case(world):
    c = file(world).complaint
    services.recuse(world.secretariat_x, c, world.recused_committee_x, "Works for company A")
    with pytest.raises(PermissionDeniedError, match="recused"):
        services.get_case(world.recused_committee_x, c.pk)
    with pytest.raises(PermissionDeniedError):
        services.move(world.recused_committee_x, c, "acknowledged")
    assert services.get_case(world.committee_x, c.pk)[1] == "committee"
    assert AuditEntry.objects.filter(action="refused-recused", actor="recused_committee_x").exists()


def test_declared_seat_needs_committee_role(world):
    m = services.declare_seat(world.secretariat_x, world.covenant_x, world.committee_x, "chair")
    assert m.seat == "chair"
    with pytest.raises(DomainError, match="not on this covenant"):
        services.declare_seat(world.secretariat_x, world.covenant_x, world.member_a, "chair")
    with pytest.raises(PermissionDeniedError):
        services.declare_seat(world.member_a, world.covenant_x, world.committee_x, "chair")


def test_audit_trail_verifies_and_detects_tampering(world):
    c = file(world).complaint
    services.get_case(world.committee_x, c.pk)
    services.move(world.secretariat_x, c, "acknowledged")
    report = services.verify_audit()
    assert report.ok and report.entries >= 3
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(seq=1).update(actor="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.first().delete()
    with connection.cursor() as cur:
        cur.execute("UPDATE complaints_auditentry SET actor = %s WHERE seq = 2", ["someone-else"])
    report = services.verify_audit()
    assert not report.ok and any("entry 2: content changed" in p for p in report.problems)


def test_audit_trail_detects_removed_line(world):
    c = file(world).complaint
    services.move(world.secretariat_x, c, "acknowledged")
    services.move(world.secretariat_x, c, "admissibility")
    with connection.cursor() as cur:
        cur.execute("DELETE FROM complaints_auditentry WHERE seq = 2")
    report = services.verify_audit()
    assert not report.ok and any("lines missing" in p for p in report.problems)


def test_overdue_report_and_reminders(world, mailoutbox):
    world.committee_x.email = "c@example.org"
    world.committee_x.save()
    world.recused_committee_x.email = "r@example.org"
    world.recused_committee_x.save()
    old = file(world).complaint
    Complaint.objects.filter(pk=old.pk).update(due=timezone.localdate() - timedelta(days=2))
    fresh = file(world).complaint
    services.recuse(world.committee_x, old, world.recused_committee_x, "conflict")
    assert list(services.overdue_cases(world.committee_x)) == [Complaint.objects.get(pk=old.pk)]
    assert not services.overdue_cases(world.secretariat_y).exists()
    assert services.send_reminders() == (1, 0)
    (mail,) = mailoutbox
    assert mail.to == ["c@example.org"] and "OVERDUE" in mail.subject
    assert "wages" not in mail.body.lower()
    assert fresh.pk != old.pk


def test_retention_removes_personal_data_keeps_publication(world):
    c = file(
        world,
        text=SECRET_TEXT,
        name="Amina",
        contact="x@y.z",
        anonymous=False,
        files=[("p.jpg", jpeg_with_exif())],
    ).complaint
    stored = services.evidence_dir() / c.evidence.get().stored_name
    c = walk_to_decision(world.committee_x, c)
    services.draft_publication(
        world.secretariat_x, c, "Wages paid", "The member paid the wages owed."
    )
    services.publish(world.committee_x, c.publication)
    c = services.move(world.committee_x, c, "closed", "done")
    assert services.purge_personal_data() == 0  # not yet past the retention period
    later = timezone.now() + timedelta(days=731)
    assert services.purge_personal_data(now=later) == 1
    c.refresh_from_db()
    assert c.secret == "" and c.decision_enc == "" and c.personal_data_removed_at
    assert not stored.exists() and not c.evidence.exists()
    assert all(t.reason_enc == "" for t in c.transitions.all())
    assert services.published_outcomes().get().text == "The member paid the wages owed."


def test_publication_needs_anonymised_text_and_a_second_person(world):
    c = walk_to_decision(
        world.committee_x, file(world, name="Amina Begum", anonymous=False).complaint
    )
    with pytest.raises(DomainError, match="still contains"):
        services.draft_publication(
            world.secretariat_x, c, "Case", "Amina Begum complained about wages."
        )
    pub = services.draft_publication(
        world.secretariat_x, c, "Case", "A worker complained about wages."
    )
    with pytest.raises(PermissionDeniedError, match="other than the drafter"):
        services.publish(world.secretariat_x, pub)
    assert not services.published_outcomes().exists()
    services.publish(world.committee_x, pub)
    assert services.published_outcomes().get().checked_by == world.committee_x


def test_location_complaint_forwarded_without_revealing_members(world, monkeypatch):
    import imvo.complaints.services as s

    monkeypatch.setattr(
        s, "linked_organisations", lambda fid: [world.company_a, world.company_b, world.company_c]
    )
    c = file(world, facility={"id": 77, "name": "Factory 77", "country": "BD"}).complaint
    assert c.routed_to_secretariat
    with pytest.raises(PermissionDeniedError):
        services.forward_to_linked_members(world.committee_x, c)
    assert (
        services.forward_to_linked_members(world.secretariat_x, c) == 2
    )  # company C is in another covenant
    _c, role = services.get_case(world.member_b, c.pk)
    view = services.case_view(world.member_b, c, role)
    assert "forwardings" not in view  # B never learns A got it too
    assert not services.complaints_visible_to(world.member_c).exists()


def test_receipt_guessing_is_bounded(world):
    filed = file(world)
    client = services.client_key("203.0.113.9")
    for _ in range(services.RECEIPT_FAILURE_LIMIT):
        with pytest.raises(services.CaseNotFoundError):
            services.complaint_by_receipt("WRONG-CODE", client=client)
    with pytest.raises(services.RateLimitedError):
        services.complaint_by_receipt(filed.receipt, client=client)
    # Another client is not affected, and the address itself is not kept.
    assert services.complaint_by_receipt(filed.receipt, client=services.client_key("198.51.100.1"))
    assert "203.0.113.9" not in client


def test_submission_flood_is_limited(world):
    client = services.client_key("203.0.113.10")
    for _ in range(services.SUBMIT_LIMIT):
        file(world, client=client)
    with pytest.raises(services.RateLimitedError):
        file(world, client=client)


def test_ungp31_figures(world):
    year = timezone.now().year
    a = walk_to_decision(world.committee_x, file(world).complaint)
    b = file(world).complaint
    b = services.move(world.secretariat_x, b, "acknowledged")
    b = services.move(world.secretariat_x, b, "admissibility")
    services.move(world.committee_x, b, "inadmissible", "Not about a member")
    file(world)
    f = services.ungp31_figures(world.covenant_x, year)
    assert (f["received"], f["admissible"], f["inadmissible"], f["resolved"]) == (3, 1, 1, 1)
    assert f["within_time_limits_percent"] == 100
    assert f["median_days_to_acknowledge"] == 0.0
    assert a.decided_at
    assert services.ungp31_figures(world.covenant_y, year)["received"] == 0


def test_report_section_holds_aggregates_only(world):
    from imvo.complaints.report import report_sections

    file(world, text=SECRET_TEXT, name="Amina", topics=["wages"])
    (section,) = report_sections(world.covenant_x, timezone.now().year)
    assert section["key"] == "complaints"
    assert section["figures"][0]["value"] == 1
    assert "Amina" not in repr(section) and "Rahim" not in repr(section)


def test_location_complaint_reaches_the_members_whose_lists_name_the_facility(world):
    """End to end with the real supply chain: lists uploaded, matched, complaint forwarded."""
    from imvo.supplychain import services as supply
    from imvo.supplychain.tests.helpers import csv_bytes, make_registry

    factory = make_registry()[0]
    row = [[factory.name, factory.address, "Bangladesh"]]
    for member in (world.member_a, world.member_b):
        supply.upload_list(member, world.covenant_x, 2025, "list.csv", csv_bytes(row))
    [found] = [f for f in supply.public_facility_search("Dhaka Knit", covenant=world.covenant_x)]
    assert found["id"] == factory.pk and "members" not in found  # the public search names no buyer
    c = file(world, facility={"id": factory.pk, "name": factory.name, "country": "BD"}).complaint
    assert services.forward_to_linked_members(world.secretariat_x, c) == 2
    for member in (world.member_a, world.member_b):
        _c, role = services.get_case(member, c.pk)
        assert "forwardings" not in services.case_view(member, c, role)


def _pdf_with_maker_details() -> bytes:
    """A real PDF, made by WeasyPrint, with author and title in its document
    information, and XMP metadata naming the author added with pikepdf."""
    import io

    import pikepdf
    from weasyprint import HTML

    html = (
        "<html><head><title>Loonstrook Amina Begum</title>"
        '<meta name="author" content="Amina Begum"></head>'
        "<body><p>Wage slip March: 4,200 taka withheld.</p></body></html>"
    )
    pdf_bytes = HTML(string=html).write_pdf()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        with pdf.open_metadata() as meta:
            meta["dc:creator"] = ["Amina Begum"]
            meta["xmp:CreatorTool"] = "Phone of Amina Begum"
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_pdf_evidence_loses_its_maker_details_and_keeps_its_text(world, tmp_path):
    import io
    import subprocess

    import pikepdf

    original = _pdf_with_maker_details()
    with pikepdf.open(io.BytesIO(original)) as pdf:
        assert str(pdf.docinfo["/Author"]) == "Amina Begum"
        assert "/Metadata" in pdf.Root
    c = file(world, files=[("slip.pdf", original)]).complaint
    ev = c.evidence.get()
    assert ev.content_type == "application/pdf"
    _ev, data = services.evidence_for(world.committee_x, c, "committee", ev.pk)
    assert b"Amina" not in data and b"WeasyPrint" not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Info" not in pdf.trailer
        assert not any(
            isinstance(o, pikepdf.Dictionary | pikepdf.Stream) and "/Metadata" in o
            for o in pdf.objects
        )
    path = tmp_path / "clean.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "4,200 taka withheld" in text


def test_unreadable_or_locked_pdf_is_refused_with_reason(world):
    import io

    import pikepdf

    locked = io.BytesIO()
    with pikepdf.open(io.BytesIO(_pdf_with_maker_details())) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    for name, data in (
        ("locked.pdf", locked.getvalue()),
        ("broken.pdf", b"%PDF-1.7\n" + b"not really a pdf " * 20),
    ):
        with pytest.raises(DomainError, match="could not be read as a PDF") as e:
            file(world, files=[(name, data)])
        assert name in str(e.value)
    assert Complaint.objects.count() == 0
