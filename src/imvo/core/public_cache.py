"""Whole-answer caching of public, anonymous API reads (docs/performance.md).

HTML pages cache fragments instead: they carry a CSRF token and a CSP nonce
per request. API answers carry neither, so an anonymous GET's whole answer is
kept under the data versions it depends on, the language and the full path.
A signed-in or token-carrying request is never served from or stored in this
cache: what it may see depends on who asks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from imvo.core.cache import content_seconds, local

# Headers that belong to one answer and must not be replayed to another client.
_NOT_REPLAYED = {"set-cookie", "vary", "date", "content-length"}


def is_anonymous_read(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and not (user is not None and user.is_authenticated)
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_X_RECEIPT" not in request.META
    )


def cache_public_answer(
    *versions: Callable[[], Any], seconds: int = 0
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator: serve anonymous GETs from the cache while every one of
    ``versions()`` is unchanged (each is bumped when its data changes) and for at
    most ``seconds`` (default: IMVO_PUBLIC_CACHE_SECONDS). Only 200 answers
    without cookies are stored, in the process's own cache (core/cache.py)."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_anonymous_read(request) or (seconds or content_seconds()) <= 0:
                # Not cached (signed in, or caching off): no key made, nothing stored.
                return view(request, *args, **kwargs)
            stamp = repr([v() for v in versions])
            raw = f"{stamp}|{get_language()}|{request.get_full_path()}"
            key = "public-answer:" + hashlib.sha256(raw.encode()).hexdigest()
            hit = local().get(key)
            if hit is not None:
                content, headers = hit
                response = HttpResponse(content)
                for name, value in headers:
                    response[name] = value
                return response
            response = view(request, *args, **kwargs)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and "no-store" not in response.get("Cache-Control", "")
            ):
                headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_REPLAYED]
                local().set(key, (response.content, headers), seconds or content_seconds())
            return response

        return wrapped

    return decorate
