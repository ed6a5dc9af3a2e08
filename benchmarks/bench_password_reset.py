"""Does the password-reset form's answer time tell whether an address has an
account? Posts the form alternately for a known and an unknown address and
prints the answer times of each, as production runs it: the database task queue
(TASK_BACKEND=database, the worker not running here) and mail over SMTP to a
local server (aiosmtpd) that takes DELAY seconds per message, like a real
relay across the network.

Usage: .venv/bin/python benchmarks/bench_password_reset.py [N] [DELAY]
Throw-away SQLite install; N posts per address (default 100), DELAY 0.05 s.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100
DELAY = float(sys.argv[2]) if len(sys.argv) > 2 else 0.05

tmp = Path(tempfile.mkdtemp(prefix="imvo-bench-reset-"))
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    PORT = s.getsockname()[1]
os.environ.update(
    IMVO_VAR_DIR=str(tmp),
    DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
    DJANGO_SETTINGS_MODULE="imvo.settings",
    DEBUG="1",
    TASK_BACKEND="database",
    EMAIL_URL=f"smtp://127.0.0.1:{PORT}",
    SECRET_KEY="bench-only-" + "k" * 50,
)
os.environ.pop("IMVO_TESTING", None)

from aiosmtpd.controller import Controller  # noqa: E402

received: list[object] = []


class SlowRelay:
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        await asyncio.sleep(DELAY)
        received.append(envelope)
        return "250 OK"


relay = Controller(SlowRelay(), hostname="127.0.0.1", port=PORT)
relay.start()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

call_command("migrate", verbosity=0, interactive=False)

from imvo.accounts.models import User  # noqa: E402

User.objects.create_user("known", email="known@example.org", password="x-" * 10)
client = Client(HTTP_HOST="localhost")


def post(address: str) -> float:
    t = time.perf_counter()
    r = client.post("/accounts/password-reset/", {"email": address})
    elapsed = time.perf_counter() - t
    assert r.status_code == 302, r.status_code
    return elapsed


for _ in range(5):  # warm up both paths
    post("known@example.org")
    post("nobody@example.org")
known, unknown = [], []
for _ in range(N):
    known.append(post("known@example.org"))
    unknown.append(post("nobody@example.org"))
during = len(received)
# The queued mails go out when the worker runs (`imvo serve` runs it beside the web).
call_command("worker", "--batch", "--no-schedule")
relay.stop()


def show(label: str, xs: list[float]) -> None:
    xs = sorted(xs)
    print(
        f"{label:8s} median {statistics.median(xs) * 1000:7.2f} ms   "
        f"p10 {xs[len(xs) // 10] * 1000:7.2f}   p90 {xs[len(xs) * 9 // 10] * 1000:7.2f}"
    )


print(f"{N} posts per address, SMTP relay delay {DELAY * 1000:.0f} ms")
show("known", known)
show("unknown", unknown)
diff = statistics.median(known) - statistics.median(unknown)
print(f"median difference known - unknown: {diff * 1000:+.2f} ms")
print(f"mails the relay got during the posts: {during}; after one worker run: {len(received)}")
