"""Background work of the parties app: passing a signal on.

A union's or NGO's request to raise a signal records it and queues this task,
whoever sources at the location; the worker records the forwardings and mails
the people of every member reached. Done in the request, the work grew with the
members sourcing there and the people they have, so the answer's time counted
them for the union, which reads the number only as a range below K; a mail
server that was down made its answer a 500 (docs/security.md, T76).
"""

from __future__ import annotations

from django.db import transaction
from django.tasks import task

from imvo.parties.models import Signal
from imvo.parties.services.signals import forward, tell_members


@task()
def pass_on_signal(signal_id: int) -> int:
    """Forward the signal to the members linked to its location and mail their
    people; a mail that fails rolls the forwardings back, so the task run again
    passes the signal on again. Returns the members reached."""
    signal = Signal.objects.filter(pk=signal_id).select_related("raised_by").first()
    if signal is None:
        return 0
    with transaction.atomic():
        reached = forward(signal)
        if reached:
            tell_members(signal, reached)
    return len(reached)
