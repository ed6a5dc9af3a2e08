"""Middleware of the platform: request size at the door, no NUL in a query
string, a clean 503 when the database is lost, no caching of confidential pages."""

import logging
import tempfile
from collections.abc import Callable
from typing import Any

from django.core.handlers.wsgi import LimitedStream
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("imvo")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError) or (
            type(exception) is DatabaseError
        ):
            logger.error("database unavailable: %s", exception)
            html = render_to_string("503.html", request=None)
            response = HttpResponse(html, status=503)
            response["Retry-After"] = "30"
            return response
        return None


class NulInQueryMiddleware:
    """Answer 400 to a query string holding a NUL character (`%00`).

    PostgreSQL refuses NUL in text, so any view that put a raw `?q=`-style value
    into a filter answered 500 (the public list did, before it dropped NUL
    itself). No form or search of the platform has a use for NUL, so it is
    turned away at the door, once, for every view. Form fields (POST) refuse it
    themselves (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            return HttpResponse(render_to_string("400.html", request=None), status=400)
        return self.get_response(request)


# Paths whose answers may hold confidential data even for anonymous visitors.
CONFIDENTIAL_PREFIXES = ("/complaints/follow", "/api/complaints/mine")


class NoStoreForSensitivePagesMiddleware:
    """Keep confidential pages out of shared and browser caches (ASVS 5 L2, 14.3).

    Every answer to a signed-in user or a token-holding client, and the
    complaint follow-up pages, get `Cache-Control: no-store, private`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        sensitive = (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or "HTTP_X_RECEIPT" in request.META
            or request.path.startswith(CONFIDENTIAL_PREFIXES)
        )
        if sensitive:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


def max_request_bytes() -> int:
    from django.conf import settings

    return int(settings.IMVO_MAX_REQUEST_BYTES)


def _too_large(limit: int) -> HttpResponse:
    mb = limit / (1024 * 1024)
    html = render_to_string("413.html", {"limit_mb": f"{mb:.0f}"}, request=None)
    response = HttpResponse(html, status=413)
    # The rest of the body is not read: the connection cannot be reused.
    response["Connection"] = "close"
    return response


class RequestSizeLimitMiddleware:
    """Refuse request bodies over IMVO_MAX_REQUEST_BYTES at the door, before any of
    the body is read or written to disk (Django's own limits apply to form fields,
    not to uploaded files, which it streams to temporary files in full).

    - a declared Content-Length over the limit: 413 at once, nothing read;
    - a streamed (chunked) body without a length: read up to the limit into a
      spooled buffer; one byte more and the reading stops with 413.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = max_request_bytes()
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.strip():
            try:
                length = int(declared)
            except ValueError:
                return HttpResponse("Content-Length is not a number.", status=400)
            if length > limit:
                logger.info("request body refused: %d bytes declared", length)
                return _too_large(limit)
        elif request.META.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
            spooled = self._read_at_most(request, limit)
            if spooled is None:
                logger.info("streamed request body refused: over %d bytes", limit)
                return _too_large(limit)
            size = spooled.seek(0, 2)
            spooled.seek(0)
            request.META["wsgi.input"] = spooled
            request.META["CONTENT_LENGTH"] = str(size)
            request._stream = LimitedStream(spooled, size)  # type: ignore[assignment]
        return self.get_response(request)

    @staticmethod
    def _read_at_most(request: HttpRequest, limit: int) -> Any:
        stream = request.META["wsgi.input"]
        spooled = tempfile.SpooledTemporaryFile(max_size=2 * 1024 * 1024)  # noqa: SIM115
        total = 0
        while True:
            chunk = stream.read(min(64 * 1024, limit + 1 - total))
            if not chunk:
                return spooled
            total += len(chunk)
            if total > limit:
                spooled.close()
                return None
            spooled.write(chunk)
