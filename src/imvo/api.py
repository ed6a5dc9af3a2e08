"""The JSON API (Django Ninja). OpenAPI document at /api/openapi.json, docs at /api/docs."""

from collections.abc import Callable
from functools import wraps
from inspect import iscoroutinefunction
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from imvo.core.errors import DomainError, PermissionDeniedError


class ImvoApi(NinjaAPI):
    """The API, with a wrong method answered in JSON like its other errors.

    Django Ninja answers a method an address does not take (DELETE on a GET-only
    endpoint) with a plain-text "Method not allowed". A client reading
    `{"detail": ...}` of every other error (400, 401, 403, 404, 422) then got no
    JSON to read; every API view is wrapped so that answer becomes
    `{"detail": "..."}` with status 405 and the `Allow` header kept (sorted:
    Ninja builds it from a set)."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and not iscoroutinefunction(pattern.callback):
                pattern.callback = _json_405(pattern.callback)
        return patterns, app_name, namespace


def _json_405(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)  # keeps csrf_exempt and the other attributes Ninja sets
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = ", ".join(sorted(m.strip() for m in response["Allow"].split(",") if m.strip()))
        answer = api.create_response(
            request,
            {
                "detail": _(
                    "Method %(method)s is not allowed here; this address takes: %(allowed)s."
                )
                % {"method": request.method, "allowed": allowed}
            },
            status=405,
        )
        answer["Allow"] = allowed
        return answer

    return wrapped


api = ImvoApi(
    title="IMVO Covenant Platform API",
    version="1",
    description=(
        "Public data on IMVO covenants, and authenticated endpoints for members and the "
        "secretariat. Authenticate with `Authorization: Bearer <token>`; create a token "
        "with `imvo token create USER`. Messages and labels come in the language of "
        "`Accept-Language` (`nl`, `en`, ...); without it, in English."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(PermissionDeniedError)
def _permission_denied(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=400)


def _register_routers() -> None:
    from imvo.accounts.api import router as accounts_router
    from imvo.complaints.api import router as complaints_router
    from imvo.covenants.api import router as covenants_router
    from imvo.duediligence.api import router as duediligence_router
    from imvo.library.api import router as library_router
    from imvo.reporting.api import router as reporting_router
    from imvo.risk.api import router as risk_router
    from imvo.supplychain.api import router as supplychain_router

    api.add_router("/", accounts_router)
    api.add_router("/", covenants_router)
    api.add_router("/", supplychain_router)
    api.add_router("/", risk_router)
    api.add_router("/", duediligence_router)
    api.add_router("/", complaints_router)
    api.add_router("/", library_router)
    api.add_router("/", reporting_router)


_register_routers()

__all__ = ["AuthenticationError", "HttpError", "ValidationError", "api"]
