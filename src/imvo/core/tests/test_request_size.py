"""Request bodies over the limit are refused at the door: a declared 200 MB at once,
a streamed body as soon as it passes the limit; against a real server process."""

import select
import socket
import time

import pytest
from django.test import RequestFactory, override_settings

from imvo.core.middleware import RequestSizeLimitMiddleware
from imvo.core.tests.serving import serving

MB = 1024 * 1024


def _send_until_answered(port: int, head: bytes, body_chunks, max_bytes: int) -> tuple[int, bytes]:
    """Send head and then body chunks until the server answers; returns (body bytes
    sent, answer)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    sent = 0
    answer = b""
    try:
        s.sendall(head)
        for chunk in body_chunks:
            readable, _w, _x = select.select([s], [], [], 0)
            if readable:
                break
            try:
                s.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
            if sent >= max_bytes:
                break
        s.settimeout(30)
        try:
            while b"\r\n\r\n" not in answer:
                part = s.recv(65536)
                if not part:
                    break
                answer += part
        except ConnectionResetError:
            pass
    finally:
        s.close()
    return sent, answer


def _chunks(total: int, size: int = MB, chunked: bool = False):
    block = b"x" * size
    for _ in range(total // size):
        yield (b"%x\r\n" % size + block + b"\r\n") if chunked else block
    if chunked:
        yield b"0\r\n\r\n"


@pytest.mark.slow
def test_a_200_mb_request_is_refused_before_it_is_read(tmp_path):
    var = tmp_path / "var"
    (var / "tmp").mkdir(parents=True)
    with serving(
        var, "--no-worker", TMPDIR=str(var / "tmp"), IMVO_MAX_UPLOAD_BYTES=str(5 * MB)
    ) as server:
        host = f"Host: 127.0.0.1:{server.port}\r\n".encode()
        started = time.monotonic()
        head = (
            b"POST /complaints/new/ HTTP/1.1\r\n" + host + b"Content-Type: multipart/form-data; "
            b"boundary=x\r\nContent-Length: %d\r\n\r\n" % (200 * MB)
        )
        sent, answer = _send_until_answered(server.port, head, _chunks(200 * MB), 200 * MB)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent < 50 * MB, f"{sent / MB:.0f} MB were taken in before the refusal"
        assert time.monotonic() - started < 30

        head = (
            b"POST /supply-chain/upload/ HTTP/1.1\r\n" + host + b"Content-Type: multipart/"
            b"form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        sent, answer = _send_until_answered(
            server.port, head, _chunks(200 * MB, chunked=True), 200 * MB
        )
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert sent < 50 * MB
        # Nothing of either body was spooled to disk by the server.
        leftovers = [p for p in (var / "tmp").rglob("*") if p.is_file()]
        assert sum(p.stat().st_size for p in leftovers) < MB
        assert "Traceback" not in server.output()


@override_settings(IMVO_MAX_REQUEST_BYTES=1000)
def test_declared_length_over_the_limit_is_refused_without_reading():
    class Unreadable:
        def read(self, *a):  # pragma: no cover - reading is the failure
            raise AssertionError("the body was read")

    request = RequestFactory().post("/complaints/new/", data=b"", content_type="text/plain")
    request.META["CONTENT_LENGTH"] = "5000"
    request.META["wsgi.input"] = Unreadable()
    response = RequestSizeLimitMiddleware(lambda r: None)(request)  # type: ignore[arg-type,return-value]
    assert response.status_code == 413 and b"1000" not in response.content


@override_settings(IMVO_MAX_REQUEST_BYTES=1000)
def test_a_streamed_body_under_the_limit_reaches_the_view_intact():
    import io

    def streamed(body: bytes):
        request = RequestFactory().generic(
            "POST", "/x/", data=b"-", content_type="application/x-www-form-urlencoded"
        )
        request.META.pop("CONTENT_LENGTH", None)  # streamed: no declared length
        request.META["HTTP_TRANSFER_ENCODING"] = "chunked"
        request.META["wsgi.input"] = io.BytesIO(body)
        return request

    seen = {}

    def view(r):
        seen["a"] = r.POST["a"]
        from django.http import HttpResponse

        return HttpResponse("ok")

    assert RequestSizeLimitMiddleware(view)(streamed(b"a=" + b"b" * 500)).status_code == 200
    assert seen["a"] == "b" * 500
    assert RequestSizeLimitMiddleware(view)(streamed(b"a=" + b"b" * 2000)).status_code == 413
