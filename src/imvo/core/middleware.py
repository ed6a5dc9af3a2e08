"""Turn a lost database connection into a clean 503 page instead of a stack trace."""

import logging
from collections.abc import Callable

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
