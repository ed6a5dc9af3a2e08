"""Middleware of the platform: request size at the door, no NUL in a query
string, form field or JSON text, a clean 503 when the database is lost, no caching of confidential pages,
health probes answered whatever the Host header and scheme."""

import json
import logging
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("imvo")


class HealthProbeMiddleware:
    """Answer ``/health/``, ``/health/live/`` and ``/health/ready/`` before the
    host check and the https redirect.

    A load balancer or orchestrator probes the backend itself: plain http, with
    the backend's address as Host (``10.0.0.5:8000``), never the public name in
    ALLOWED_HOSTS and never ``X-Forwarded-Proto: https``. Behind the other
    middleware such a probe got a 301 to https (or a 400 for the host), so
    ``/health/live/`` never said "alive" in production and ``imvo serve`` never
    announced that it was ready (docs/operations.md, "Monitoring"). The answers
    hold no URL built from the Host header and no cookie, so skipping those
    checks for them gives nothing away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"}:
            from imvo.core import views

            probe = {
                "/health/": views.health,
                "/health/live/": views.live,
                "/health/ready/": views.ready,
            }.get(request.path_info)
            if probe is not None:
                return probe(request)
        return self.get_response(request)


class ApiDefaultLanguageMiddleware:
    """The API answers in English when the client states no language.

    A browser always sends Accept-Language; a script, a gateway or curl usually
    sends none, and LocaleMiddleware then fell back to the platform's default,
    Dutch: a foreign developer got errors they could not read. Decision: for
    `/api/` only, no Accept-Language (and no language cookie, the choice made
    on the site) means English, the language of the API's field names and its
    OpenAPI document. An explicit `Accept-Language: nl` (or any other) still
    chooses, and pages keep Dutch as their default (docs/channels.md,
    "Languages"). Installed right after LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path_info.startswith("/api/")
            and not request.META.get("HTTP_ACCEPT_LANGUAGE", "").strip()
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate("en")
            request.LANGUAGE_CODE = "en"
        return self.get_response(request)


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
    """No NUL character reaches a view: PostgreSQL refuses NUL in text, so a value
    holding one that reached a filter or a row was a 500.

    - In the query string (`%00`): 400 with a short page, before any view runs
      (the public list answered 500 before it dropped NUL itself).
    - In a form field: removed at the door. Django's form fields refuse NUL, but
      views that read `request.POST` themselves did not (a NUL in the title of a
      joint-action proposal was a 500 on PostgreSQL: docs/security.md, T26).
      Removing it, not refusing the request, keeps what the person typed: a
      complainant on a slow phone does not lose a long text to an error page
      for a character nobody sees. Uploaded files are not touched.
    - In a JSON text (`\\u0000`) of an API call: 400 with the reason (programs
      send it; they are told exactly what to fix)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET.lists()):
            return HttpResponse(render_to_string("400.html", request=None), status=400)
        if request.method == "POST":
            content_type = request.content_type or ""
            if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                _drop_nul_from_form(request)
            elif content_type.endswith("json") and (refusal := _json_refusal(request)):
                return JsonResponse({"detail": refusal}, status=400)
        return self.get_response(request)


def _has_nul(items: Iterable[tuple[str, list[Any]]]) -> bool:
    return any("\x00" in key + "".join(map(str, values)) for key, values in items)


def _drop_nul_from_form(request: HttpRequest) -> None:
    try:
        post = request.POST
    except Exception:  # a body Django cannot parse: the view's own reading says so
        return
    if not _has_nul(post.lists()):
        return
    clean = QueryDict(mutable=True)
    for key, values in post.lists():
        clean.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
    clean._mutable = False
    request.POST = clean  # type: ignore[assignment]


# No API schema nests deeper than a few levels; a body nested a hundred thousand deep
# made the JSON decoder (here and in the API's own parsing) raise RecursionError: a
# 500 for anyone, signed in or not (docs/security.md, T41).
MAX_JSON_DEPTH = 64


def _json_refusal(request: HttpRequest) -> str | None:
    """Why a JSON body is refused (a NUL in a text, nesting past MAX_JSON_DEPTH), or
    None. The body is parsed only when it may hold either (its bytes say so)."""
    try:
        body = request.body
    except Exception:
        return None
    nul = b"\x00" in body or b"u0000" in body
    deep = body.count(b"[") + body.count(b"{") > MAX_JSON_DEPTH
    if not (nul or deep):
        return None
    try:
        value = json.loads(body)
    except RecursionError:
        return _too_deep()
    except ValueError:
        return None  # not JSON: the API's own parsing answers
    has_nul, depth = _json_walk(value)
    if depth > MAX_JSON_DEPTH:
        return _too_deep()
    if has_nul:
        return "Text may not contain the NUL character (\\u0000); remove it."
    return None


def _too_deep() -> str:
    return f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep; no operation takes that."


def _json_walk(value: Any) -> tuple[bool, int]:
    """Whether a text (key or value) holds NUL, and how deep the value nests; without
    recursion, which a deep value would exhaust."""
    has_nul, deepest = False, 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, str):
            has_nul = has_nul or "\x00" in item
        elif isinstance(item, dict):
            stack.extend((k, depth) for k in item)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return has_nul, deepest


class MethodNotAllowedPageMiddleware:
    """Give the empty 405 of Django's `require_POST` a page that says why.

    Opening a button's address (a bookmark, a link someone shared, a crawler) or
    sending it another method answered 405 with an empty body: a blank page. The
    page now names the methods the address answers to and that nothing changed.
    The JSON API answers its own 405, in JSON (`imvo.api.ImvoApi`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not response.streaming:
            allowed = response.get("Allow", "")
            page = HttpResponse(
                render_to_string("405.html", {"allowed": allowed or "POST"}, request=None),
                status=405,
            )
            if allowed:
                page["Allow"] = allowed
            return page
        return response


# Paths whose answers may hold confidential data even for anonymous visitors:
# the complaint follow-up, and pages opened by a secret link (a supplier's
# questionnaire names the member asking; an invitation or password reset names
# the person and their organisation).
CONFIDENTIAL_PREFIXES = (
    "/complaints/follow",
    "/api/complaints/mine",
    "/regulation/supplier/",
    "/accounts/invitation/",
    "/accounts/password-reset/",
)


class NoStoreForSensitivePagesMiddleware:
    """Keep confidential pages out of shared and browser caches (ASVS 5 L2, 14.3).

    Every answer to a signed-in user or a token-holding client, the complaint
    follow-up pages and the pages a secret link opens get
    `Cache-Control: no-store, private`.
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
