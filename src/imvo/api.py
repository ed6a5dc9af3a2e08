"""The JSON API (Django Ninja). OpenAPI document at /api/openapi.json, docs at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from imvo.core.errors import DomainError, PermissionDeniedError

api = NinjaAPI(
    title="IMVO Covenant Platform API",
    version="1",
    description=(
        "Public data on IMVO covenants, and authenticated endpoints for members and the "
        "secretariat. Authenticate with `Authorization: Bearer <token>`; create a token "
        "with `imvo token create USER`."
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
