"""`imvo serve` for real: children stop with it, are restarted when they die, no
client address reaches the log, liveness and readiness answer."""

import http.client
import json
import os
import signal
import time

import pytest

from imvo.core.tests.serving import alive, migrated_install, serving, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.worker]


def test_sigterm_stops_every_child_and_dead_children_are_restarted(tmp_path):
    with serving(tmp_path / "var") as server:
        web, worker = server.child_pid("gunicorn"), server.child_pid("imvo.cli worker")
        assert web and worker, server.output()[-2000:]
        gunicorn_workers = server.descendants() - {web, worker}
        assert gunicorn_workers  # gunicorn's own worker processes

        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: (server.child_pid("imvo.cli worker") or worker) != worker, 30, "worker")
        os.kill(web, signal.SIGKILL)
        wait_for(lambda: (server.child_pid("gunicorn") or web) != web, 60, "web restart")
        wait_for(lambda: "ready" in _get(server.port, "/health/ready/")[1], 120, "ready again")
        assert '"message": "worker exited with -9' in server.output()
        everything = server.descendants() | server.seen

        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=40) == 0
        wait_for(lambda: not any(alive(p) for p in everything), 15, "children to end")
        assert not any(alive(p) for p in everything)


def test_killing_the_supervisor_outright_takes_its_children_with_it(tmp_path):
    with serving(tmp_path / "var", "--no-worker") as server:
        everything = server.descendants()
        assert everything
        server.process.kill()  # SIGKILL: no chance to clean up; the kernel tells the children
        server.process.wait()
        wait_for(lambda: not any(alive(p) for p in everything), 30, "orphans to end")


def _get(port: int, path: str, source: str = "127.0.0.1") -> tuple[int, str]:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read().decode()
    except OSError:
        return 0, ""


def test_no_client_address_in_the_log_when_a_complaint_is_filed(tmp_path):
    var = tmp_path / "var"
    migrated_install(var, "garment")
    client = "127.0.0.77"  # the server sees this address; it must not be written down
    with serving(var, "--no-worker", IMVO_ACCESS_LOG="1", LOG_LEVEL="DEBUG") as server:
        assert _get(server.port, "/complaints/new/", client)[0] == 200
        conn = http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=30, source_address=(client, 0)
        )
        body = json.dumps(
            {"covenant": "garment", "description": "The factory locked the fire exits at night."}
        )
        conn.request("POST", "/api/complaints", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        assert r.status == 201, r.read()
        receipt = json.loads(r.read())["receipt"]
        conn.close()
        conn = http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=30, source_address=(client, 0)
        )
        conn.request("GET", "/api/complaints/mine", headers={"X-Receipt": receipt})
        assert conn.getresponse().status == 200
        time.sleep(1)
        log = server.output()
    assert "POST /api/complaints 201" in log  # the access log is on, and written
    assert client not in log and "127.0.0.77" not in log
    for line in log.splitlines():
        if line.startswith("{"):
            json.loads(line)  # every log line is one JSON object


def test_liveness_and_readiness(client, db):
    assert client.get("/health/live/").json() == {"status": "alive"}
    r = client.get("/health/ready/")
    assert r.status_code == 200 and r.json()["database"] == "ok"
    assert client.get("/health/").json()["status"] == "ready"


def test_access_log_is_off_by_default():
    import importlib

    from imvo.core import gunicorn_conf

    os.environ.pop("IMVO_ACCESS_LOG", None)
    conf = importlib.reload(gunicorn_conf)
    assert conf.accesslog is None and "gunicorn.access" not in conf.logconfig_dict["loggers"]
    assert "%(h)s" not in conf.access_log_format and "%(a)s" not in conf.access_log_format
