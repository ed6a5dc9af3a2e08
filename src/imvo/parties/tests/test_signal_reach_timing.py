"""Raising a signal tells the union nothing by the time its answer takes: the
request records the signal and queues one task, whoever sources at the location;
the worker passes it on and mails the members' people (docs/security.md, T76).

Before, the request made a forwarding per member linked to the location and
mailed each of their people over SMTP before answering: a location two members
source at answered slower than one a single member sources at, where the union
reads only the range "1-2" (fewer than K), and a mail server that was down made
the union's answer a 500 for a signal already recorded, whose mails were then
never sent."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imvo.parties.models import Signal
from imvo.parties.services import signals
from imvo.testing import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    """The queue production uses (tests otherwise run tasks at once, in the request)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _raise(client, facility_id: int, search: str):
    with CaptureQueriesContext(connection) as queries:
        r = client.post(
            "/parties/covenant-x/signals/new/",
            {"title": "Overtime unpaid", "description": "Since March.",
             "facility_id": facility_id, "search": search},
        )  # fmt: skip
    # The statements with their values left out (ids, times, savepoint names).
    return r, [
        re.sub(r"\b\d+\b", "N", re.sub(r'"s\d+_x\d+"', "SP", re.sub(r"'[^']*'", "?", q["sql"])))
        for q in queries.captured_queries
    ]


def test_a_signal_costs_the_same_however_many_members_source_there(
    world, fnv, dhaka, database_queue
) -> None:
    for user in (world.member_a, world.member_b):
        user.email = f"{user.username}@example.org"
        user.save()
    x = world.covenant_x
    [two] = signals.public_locations(x, "Dhaka Knit")  # A and B source there
    [one] = signals.public_locations(x, "Filler Weaving")  # one filler member
    client = client_for(fnv, "en")
    _raise(client, int(str(one["id"])), "Filler Weaving")  # first-request work out of the way
    r2, sql2 = _raise(client, int(str(two["id"])), "Dhaka Knit")
    r1, sql1 = _raise(client, int(str(one["id"])), "Filler Weaving")
    assert r1.status_code == r2.status_code == 302
    assert sql1 == sql2
    assert mail.outbox == []  # nobody waits for a mail server

    # The worker passes the signals on and mails each person of the members reached.
    from django_tasks_db.models import DBTaskResult

    for t in DBTaskResult.objects.order_by("enqueued_at"):
        signals.pass_on_signal.call(*t.args_kwargs["args"], **t.args_kwargs["kwargs"])
    reached = {
        s.location: {f.organisation for f in s.forwardings.all()}
        for s in Signal.objects.order_by("pk")
    }
    assert reached[dhaka.name] == {world.company_a, world.company_b}
    assert sorted(m.to[0] for m in mail.outbox) == [world.member_a.email, world.member_b.email]
