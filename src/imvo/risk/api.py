"""Risk API: indicator sources (public), a member's scan and register (token, own company only),
and an ad-hoc scan of posted rows."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from imvo.accounts.seams import token_auth
from imvo.core.errors import DomainError
from imvo.risk import services
from imvo.risk.models import RegisterEntry
from imvo.risk.scan import heatmap, theme_summary

router = Router(tags=["risk"])


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


@router.post("/risk/scan", summary="Scan posted supplier rows (country, sector, product)")
def scan_rows(request: HttpRequest, rows: list[RowIn]) -> dict[str, Any]:
    if not rows:
        raise DomainError("Send at least one row with a country.")
    if len(rows) > 50_000:
        raise DomainError("At most 50,000 rows per request; use `imvo scan` for bigger lists.")
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
