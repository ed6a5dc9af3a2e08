"""Risk API: indicator sources (public), a member's scan and register (token, own company only),
and an ad-hoc scan of posted rows.

The ad-hoc scan is anonymous and costs about a second of CPU per megabyte, so it
is bounded before the body is parsed: at most IMVO_RISK_SCAN_MAX_BYTES of body
(413), IMVO_RISK_SCAN_LIMIT scans per client address per hour (429 with
Retry-After), and at most RISK_SCAN_MAX_ROWS rows (400)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.decorators import decorate_view

from imvo.accounts.seams import token_auth
from imvo.core import ratelimit
from imvo.core.errors import DomainError
from imvo.risk import services
from imvo.risk.models import RegisterEntry
from imvo.risk.scan import heatmap, theme_summary

router = Router(tags=["risk"])

RISK_SCAN_WINDOW = 3600
RISK_SCAN_MAX_ROWS = 50_000


class RowIn(Schema):
    country: str
    sector: str | None = None
    product: str | None = None
    name: str | None = None
    workers: int | None = None


def _scan_doc(result: Any) -> dict[str, Any]:
    themes = theme_summary(result)
    return {
        "rows": result.rows.height,
        "unrecognised_countries": result.unresolved.select("row_id", "country_raw").rows(),
        "themes": themes,
        "heatmap": {k: v for k, v in heatmap(result).items() if k != "table"},
        "sources": result.attribution,
    }


@router.get("/risk/sources", summary="Indicator sources in use, with edition and licence")
def sources(request: HttpRequest) -> list[dict[str, Any]]:
    return services.sources_in_use()


def _bounded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse an oversized body or a client over its limit before the body is parsed."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # the size middleware has already refused a malformed length
        max_bytes = int(settings.IMVO_RISK_SCAN_MAX_BYTES)
        if length > max_bytes:
            return JsonResponse(
                {
                    "detail": f"The request body is {length:,} bytes; a scan takes at most "
                    f"{max_bytes:,} bytes. Send fewer rows per request, "
                    "or use `imvo scan` for bigger lists."
                },
                status=413,
            )
        try:
            ratelimit.hit(
                "risk-scan",
                ratelimit.request_client(request),
                int(settings.IMVO_RISK_SCAN_LIMIT),
                RISK_SCAN_WINDOW,
            )
        except ratelimit.RateLimitedError as e:
            return ratelimit.too_many_response(e)
        return view(request, *args, **kwargs)

    return guarded


@router.post("/risk/scan", summary="Scan posted supplier rows (country, sector, product)")
@decorate_view(_bounded)
def scan_rows(request: HttpRequest, rows: list[RowIn]) -> dict[str, Any]:
    if not rows:
        raise DomainError("Send at least one row with a country.")
    if len(rows) > RISK_SCAN_MAX_ROWS:
        raise DomainError(
            f"At most {RISK_SCAN_MAX_ROWS:,} rows per request; use `imvo scan` for bigger lists."
        )
    return _scan_doc(
        services.scan_records([{**r.dict(), "row_id": i} for i, r in enumerate(rows, 1)])
    )


@router.get(
    "/risk/my-scan", auth=token_auth, summary="Your company's scan: themes, heatmap, sources"
)
def my_scan(request: HttpRequest) -> dict[str, Any]:
    return _scan_doc(services.company_scan(services.member_company(request.user)))


@router.get(
    "/risk/register",
    auth=token_auth,
    summary="Your company's risk register, highest priority first",
)
def register(request: HttpRequest) -> list[dict[str, Any]]:
    qs = RegisterEntry.objects.visible_to(request.user).filter(
        organisation=services.member_company(request.user)
    )
    return [services.entry_as_dict(e) for e in qs]


@router.get("/risk/register/{entry_id}", auth=token_auth, summary="One risk register entry")
def register_entry(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    return services.entry_as_dict(
        get_object_or_404(RegisterEntry.objects.visible_to(request.user), pk=entry_id)
    )
