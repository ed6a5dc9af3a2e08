"""The password-reset form cannot be used to flood someone's mailbox or the task
queue (docs/security.md, T60): before, every request queued one mail task, so a
script mailed a member a reset link a second for as long as it ran, and every
task waited in the queue supplier lists are processed from."""

import pytest
from django.core import mail
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from imvo.accounts.tasks import send_password_reset

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _ask(address: str, email: str, language: str = "en"):
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language).post(
        "/accounts/password-reset/", {"email": email}
    )


def _queued() -> list[str]:
    return [t.args_kwargs["kwargs"]["email"] for t in DBTaskResult.objects.order_by("enqueued_at")]


@override_settings(IMVO_PASSWORD_RESET_LIMIT=3, IMVO_PASSWORD_RESET_EMAIL_LIMIT=100)
def test_reset_requests_are_limited_per_client_address(database_queue):
    answers = [_ask("203.0.113.7", f"p{n}@example.org") for n in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 302]
    refused = _ask("203.0.113.7", "p9@example.org")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many attempts from your connection" in refused.content.decode()
    dutch = _ask("203.0.113.7", "p8@example.org", "nl")
    assert "Te veel pogingen vanaf uw verbinding" in dutch.content.decode()
    assert _ask("198.51.100.2", "q@example.org").status_code == 302  # anyone else may
    assert _queued() == ["p0@example.org", "p1@example.org", "p2@example.org", "q@example.org"]


@override_settings(IMVO_PASSWORD_RESET_LIMIT=100, IMVO_PASSWORD_RESET_EMAIL_LIMIT=2)
def test_one_address_gets_few_mails_whoever_asks_and_the_answer_tells_nothing(
    world, database_queue
):
    world.member_a.email = "member.a@example.org"
    world.member_a.save()
    known = [_ask(f"203.0.113.{n}", "Member.A@example.org") for n in range(1, 7)]
    unknown = [_ask(f"198.51.100.{n}", "nobody@example.org") for n in range(1, 7)]
    # Every answer is the same, past the limit too, for a known and an unknown address.
    assert {(a.status_code, a["Location"]) for a in known + unknown} == {
        (302, "/accounts/password-reset/sent/")
    }
    queued = _queued()
    assert queued == ["Member.A@example.org", "Member.A@example.org"] + ["nobody@example.org"] * 2
    for email in queued:
        send_password_reset.call(email=email, domain="testserver", protocol="http", language="en")
    assert [m.to for m in mail.outbox] == [["member.a@example.org"]] * 2
