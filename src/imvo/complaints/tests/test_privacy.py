"""Nothing a complainant wrote reaches an error page or a log line, and nothing
they do is stored to the second (imvo/core/privacy.py, models.to_the_hour)."""

import io
import logging

import pytest
from django.urls import reverse

from imvo.complaints import limits
from imvo.complaints.models import AuditEntry, Complaint
from imvo.complaints.services import following
from imvo.complaints.tests.helpers import SECRET_TEXT, file

NAME, CONTACT = "Amina Begum", "+8801711000000"


def _crash_after_reading(monkeypatch):
    """A fault deep in the filing service, whose message quotes the input (as
    real bugs' messages do) while the frames hold the complaint's text."""

    def broken(client, limit=None):
        raise RuntimeError(f"cannot count {SECRET_TEXT}")

    monkeypatch.setattr(limits, "check_submit_allowed", broken)


def _post(client, world):
    return client.post(
        reverse("complaints:new"),
        {
            "action": "submit",
            "covenant": world.covenant_x.slug,
            "complainant_type": "affected",
            "description": SECRET_TEXT,
            "anonymous": "",
            "name": NAME,
            "contact": CONTACT,
        },
        REMOTE_ADDR="203.0.113.44",
    )


def test_debug_page_of_a_complaint_path_shows_no_form_data(client, world, settings, monkeypatch):
    settings.DEBUG = True
    _crash_after_reading(monkeypatch)
    client.raise_request_exception = False
    r = _post(client, world)
    assert r.status_code == 500
    page = r.content.decode()
    assert "RuntimeError" in page  # still useful to a developer
    for secret in (SECRET_TEXT, NAME, CONTACT, "203.0.113.44"):
        assert secret not in page, secret


def test_error_log_of_a_complaint_path_has_no_complaint_content(client, world, monkeypatch):
    _crash_after_reading(monkeypatch)
    client.raise_request_exception = False
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler, logging.StreamHandler)
    out = io.StringIO()
    old = handler.setStream(out)  # the configured handler, with its configured filter
    try:
        assert _post(client, world).status_code == 500
    finally:
        handler.setStream(old)
    logged = out.getvalue()
    assert "RuntimeError" in logged and "Traceback" in logged
    for secret in (SECRET_TEXT, NAME, CONTACT, "203.0.113.44"):
        assert secret not in logged, secret


def test_other_paths_keep_their_error_details():
    from django.test import RequestFactory

    from imvo.core.privacy import is_private

    factory = RequestFactory()
    assert is_private(factory.post("/complaints/new/"))
    assert is_private(factory.get("/api/complaints/mine"))
    assert not is_private(factory.post("/supply-chain/upload/"))


def test_a_crashing_safe_copy_keeps_the_complaint_and_the_file(world, monkeypatch):
    from imvo.complaints import evidence

    def crash(name, data):
        raise MemoryError

    monkeypatch.setattr(evidence, "make_safe_copy", crash)
    filed = file(world, files=[("photo.jpg", b"\xff\xd8\xff photo")])
    assert Complaint.objects.get() == filed.complaint and filed.receipt
    assert filed.complaint.evidence.get().refusal == "unreadable"


def test_what_the_complainant_does_is_stored_to_the_hour(world):
    filed = file(world)
    c = filed.complaint
    assert (c.filed_at.minute, c.filed_at.second, c.filed_at.microsecond) == (0, 0, 0)
    following.check_complainant_reply(c, "More details")
    m = c.messages.get()
    assert (m.created.minute, m.created.second, m.created.microsecond) == (0, 0, 0)
    for entry in AuditEntry.objects.filter(actor="complainant"):
        assert (entry.at.minute, entry.at.second, entry.at.microsecond) == (0, 0, 0)


@pytest.mark.parametrize("path", ["complaints/case_company.html", "complaints/follow.html"])
def test_parties_see_days_not_times(path):
    from django.template.loader import get_template

    source = get_template(path).template.source  # type: ignore[attr-defined]
    assert "H:i" not in source
