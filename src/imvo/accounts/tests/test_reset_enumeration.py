"""The password-reset form tells nobody whether an address has an account: not
by its answer, and not by its time. Before, the request looked the address up
and, for a known one only, made a token, rendered and sent the mail: an SMTP
round trip longer (`benchmarks/bench_password_reset.py` measured the known
address's answer 115 ms slower at the median against a relay taking 50 ms).
Now the request does the same for every address: it queues one task
(`accounts.tasks.send_password_reset`), and the worker looks up and mails.
docs/security.md, O2."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from imvo.accounts.tasks import send_password_reset

pytestmark = pytest.mark.django_db

KNOWN, UNKNOWN = "member.a@example.org", "nobody@example.org"


@pytest.fixture
def database_queue(settings):
    """The queue production uses (tests otherwise run tasks at once, in the request)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _ask(client, address: str):
    with CaptureQueriesContext(connection) as queries:
        r = client.post("/accounts/password-reset/", {"email": address})
    # The statements with their values left out (the address, a new id, the time,
    # the savepoint's generated name and the rate counters' row ids, T60).
    return r, [
        re.sub(r"\b\d+\b", "N", re.sub(r'"s\d+_x\d+"', "SP", re.sub(r"'[^']*'", "?", q["sql"])))
        for q in queries.captured_queries
    ]


def test_known_and_unknown_addresses_get_the_same_answer_from_the_same_work(
    client, world, database_queue
):
    world.member_a.email = KNOWN
    world.member_a.save()
    _ask(client, "warm@example.org")  # first-request work (sessions, caches) out of the way
    known, known_sql = _ask(client, KNOWN)
    unknown, unknown_sql = _ask(client, UNKNOWN)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password-reset/sent/"
    assert known.content == unknown.content
    assert dict(known.headers) == dict(unknown.headers)
    assert known.cookies.keys() == unknown.cookies.keys()
    # The same statements, none of them reading the accounts,
    # and no mail sent while the person waits.
    assert known_sql == unknown_sql
    assert not any("accounts_user" in sql for sql in known_sql), known_sql
    assert mail.outbox == []

    # The worker does the rest: a mail for the known address only.
    queued = [t.args_kwargs["kwargs"] for t in DBTaskResult.objects.order_by("enqueued_at")]
    assert [q["email"] for q in queued] == ["warm@example.org", KNOWN, UNKNOWN]
    assert [send_password_reset.call(**q) for q in queued] == [0, 1, 0]
    assert [m.to for m in mail.outbox] == [[KNOWN]]
    assert "http://testserver/accounts/password-reset/" in mail.outbox[0].body


def test_the_mail_is_in_the_language_the_form_was_asked_in(client, world, settings):
    world.member_a.email = KNOWN
    world.member_a.save()
    settings.IMVO_PUBLIC_URL = "https://imvo.example.org"
    client.post("/accounts/password-reset/", {"email": KNOWN}, HTTP_ACCEPT_LANGUAGE="nl")
    (sent,) = mail.outbox
    assert "https://imvo.example.org/accounts/password-reset/" in sent.body
    assert "gebruikersnaam" in sent.body.lower(), sent.body
