"""Supply-chain endpoints: upload a supplier list, poll it, fetch its rows (token),
and the public production-location list (no token)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import NinjaJSONEncoder

from imvo.accounts.api_auth import token_auth
from imvo.core.errors import DomainError
from imvo.core.public_cache import cache_public_answer
from imvo.covenants.models import Covenant
from imvo.covenants.services import public_version
from imvo.supplychain import disclosure, explain, parsing, public, publication, services
from imvo.supplychain.models import SupplierList

router = Router(tags=["supplychain"])


class SupplierListOut(Schema):
    id: int
    covenant: str
    organisation: str
    year: int
    file: str
    sha256: str
    status: str
    error: str
    rows_total: int
    rows_done: int
    progress_percent: int
    current: bool
    summary: dict


class RowOut(Schema):
    row: int
    status: str
    errors: list
    name: str
    address: str
    country: str
    match_status: str | None
    facility_id: int | None
    score: float | None
    explanation: dict | None = None  # explain.data: facility_id, evidence, total_bits, distance_m


class PublicFacilityOut(Schema):
    id: int
    name: str
    address: str
    country: str
    sector: str
    members: str = Field(
        description="How many members source there, as a band: 1\u20134, 5\u20139, 10\u201324, 25\u201349, 50+"
    )
    named_members: list[str]


PUBLIC_FACILITY_FIELDS = tuple(PublicFacilityOut.model_fields)


def _out(sl: SupplierList) -> dict:
    return {
        "id": sl.pk,
        "covenant": sl.covenant.slug,
        "organisation": sl.organisation.name,
        "year": sl.year,
        "file": sl.original_name,
        "sha256": sl.sha256,
        "status": sl.status,
        "error": sl.reason,  # in the language the client asked for
        "rows_total": sl.rows_total,
        "rows_done": sl.rows_done,
        "progress_percent": sl.progress_percent,
        "current": sl.is_current,
        "summary": sl.summary,
    }


def _visible(request: HttpRequest, list_id: int) -> SupplierList:
    return get_object_or_404(services.lists_visible_to(request.user), pk=list_id)


@router.post(
    "/supplier-lists",
    response={201: SupplierListOut},
    auth=token_auth,
    summary="Upload a supplier list (multipart: covenant slug, year, file)",
)
def upload(
    request: HttpRequest,
    covenant: Form[str],
    year: Form[int],
    file: File[UploadedFile],
    mode: Form[str] = "",
    preview: Form[bool] = False,
) -> Status:
    """`mode` ("add" or "replace") is needed when the year already has a disclosure:
    an upload never silently replaces one (400 without it). With `preview=true`
    the list is read and checked and waits (status `preview`, the effect in
    `GET .../preview`) until `POST .../confirm`."""
    cov = Covenant.objects.filter(slug=covenant).first()
    if cov is None:
        raise HttpError(404, f"No covenant {covenant!r}.")
    sl = services.upload_list(
        request.user,
        cov,
        year,
        file.name or "upload",
        file.read(),
        mode=mode or None,
        confirm=not preview,
    )
    sl.refresh_from_db()
    return Status(201, _out(sl))


@router.get("/supplier-lists", response=list[SupplierListOut], auth=token_auth)
def list_lists(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(sl) for sl in services.lists_visible_to(request.user)[:500]]


@router.get(
    "/supplier-lists/{list_id}",
    response=SupplierListOut,
    auth=token_auth,
    summary="Status and progress of a supplier list",
)
def get_list(request: HttpRequest, list_id: int) -> dict:
    return _out(_visible(request, list_id))


class EffectOut(Schema):
    mode: str
    current_files: list[str]
    added: int
    removed: int
    changed: int
    unchanged: int
    error_rows: int
    samples: list[str]
    encoding: str
    sheet: str = ""
    hidden_sheets: list[str] = Field(
        default_factory=list, description="Hidden worksheets, never read: not in this upload"
    )
    other_lists: list[str] = Field(
        default_factory=list,
        description="Other visible worksheets holding a list too, not read (one sheet per file)",
    )
    on_the_way: list[str] = Field(
        default_factory=list,
        description="Other files of the year confirmed and still being processed: each "
        "changes the disclosure when the worker reaches it",
    )
    seen_files: str = Field(
        "",
        description="What the effect was computed against (the files in the disclosure and "
        "those on their way); send it back to POST .../confirm",
    )


@router.get("/supplier-lists/{list_id}/preview", response=EffectOut, auth=token_auth)
def get_preview(request: HttpRequest, list_id: int) -> dict[str, Any]:
    """The effect confirming the list would have on the disclosure."""
    sl = _visible(request, list_id)
    if sl.status != SupplierList.Status.PREVIEW:
        raise HttpError(409, "This list is not waiting for confirmation.")
    p = disclosure.preview(sl)
    return {
        "mode": p.mode,
        "current_files": p.current_files,
        **p.counts,
        "error_rows": p.error_rows,
        "samples": p.samples,
        "encoding": p.encoding,
        "sheet": p.sheet,
        "hidden_sheets": p.hidden_sheets,
        "other_lists": p.other_lists,
        "on_the_way": p.on_the_way,
        "seen_files": p.seen_files,
    }


CONFIRM_DOES = {
    "first": "make the file the year's disclosure",
    services.ADD: "add the file to it",
    services.REPLACE: "replace it with the file",
}


@router.post("/supplier-lists/{list_id}/confirm", response=SupplierListOut, auth=token_auth)
def confirm(
    request: HttpRequest, list_id: int, seen: str = "", seen_files: str | None = None
) -> dict[str, Any]:
    """Confirm a previewed list: it is matched and becomes a version of the disclosure.

    `seen` and `seen_files` are the `mode` and `seen_files` `GET .../preview`
    answered, as the web page posts what it showed (`seen_files` may be empty: the
    year had no file): when the year's disclosure changed since (another file of
    the year confirmed meanwhile, replaced or added, even one still being
    processed), the answer is 409 and nothing changes; read the preview again."""
    sl = _visible(request, list_id)
    services.require_decide(request.user, sl)  # who may not decide hears that first
    if seen not in ("first", services.ADD, services.REPLACE) or seen_files is None:
        raise HttpError(
            400,
            "Send seen and seen_files: the mode and seen_files GET "
            "/api/supplier-lists/{id}/preview answered; a list is confirmed only for the "
            "effect its preview showed.",
        )
    try:
        # The web's confirm, pinned the same way (services.confirm_list).
        sl = services.confirm_list(request.user, sl, seen=seen, seen_files=seen_files)
    except DomainError as refusal:
        sl.refresh_from_db()
        current = disclosure.current_lists_for(sl.covenant_id, sl.organisation_id, sl.year)
        on_the_way = disclosure.confirmed_on_the_way(sl)
        now, now_files = disclosure.preview_mode(sl), disclosure.seen_files(current, on_the_way)
        if sl.status != SupplierList.Status.PREVIEW or (seen, seen_files) == (now, now_files):
            raise
        waiting = "; confirmed, still being processed: " + ", ".join(
            f.original_name for f in on_the_way
        )
        raise HttpError(
            409,
            f"The {sl.year} disclosure changed since the preview said {seen!r} "
            f"(seen_files {seen_files!r}, now {now_files!r}): confirming now would "
            f"{CONFIRM_DOES[now]} (files in it now: "
            f"{', '.join(f.original_name for f in current) or 'none'}"
            f"{waiting if on_the_way else ''}). Nothing changed; read "
            f"GET /api/supplier-lists/{sl.pk}/preview again and confirm with its mode and "
            "seen_files.",
        ) from refusal
    sl.refresh_from_db()
    return _out(sl)


@router.get("/supplier-lists/{list_id}/rows", response=list[RowOut], auth=token_auth)
def list_rows(
    request: HttpRequest, list_id: int, offset: int = 0, limit: int = 1000
) -> list[dict[str, Any]]:
    sl = _visible(request, list_id)
    limit = max(1, min(limit, 5000))
    # No list holds more rows than the parser takes; a larger offset (the database
    # refuses one past 64 bits: a 500 before) simply reads past the end.
    offset = max(0, min(offset, parsing.MAX_ROWS))
    out = []
    rows = sl.rows.select_related("match", "match__facility").order_by("number")
    for r in rows[offset : offset + limit]:
        m = getattr(r, "match", None)
        out.append(
            {
                "row": r.number,
                "status": r.status,
                "errors": r.errors,
                "name": r.name,
                "address": r.address,
                "country": r.country,
                "match_status": m.status if m else None,
                "facility_id": m.facility_id if m and m.links else None,
                "score": m.score if m else None,
                "explanation": explain.data(m),
            }
        )
    return out


@router.get(
    "/public/production-locations/{covenant}",
    response=list[PublicFacilityOut],
    summary="A covenant's public list of production locations (open data, CC BY 4.0)",
)
@decorate_view(cache_public_answer(publication.public_list_version, public_version))
def public_locations(
    request: HttpRequest,
    covenant: str,
    year: int | None = None,
    q: str = "",
    country: str = "",
    sector: str = "",
    page: int = 1,
    per_page: int = 1000,
) -> list[dict[str, Any]] | HttpResponse:
    """Paged (``page``, ``per_page`` up to 1,000) so an answer stays bounded however
    many locations a covenant has; the CSV/XLSX/JSON downloads give the whole list."""
    found = publication.public_covenant(request.user, covenant)  # one statement for both
    if found is None:
        raise HttpError(404, f"No covenant {covenant!r}.")
    cov, state = found
    # The publication rule (publication.py): a year that is not public, or a
    # selection fewer than K members disclosed, answers an empty list.
    listing = (
        public.for_year(cov, year, state) if year is not None else public.listing(cov, None, state)
    )
    if listing.year is None:
        return []
    per_page = max(1, min(per_page, 1000))
    if page < 1:
        if listing.withheld(q, country, sector):
            return []
        raise HttpError(400, "page starts at 1.")
    # A filter's K check comes with the page (one statement); a withheld
    # selection's page is empty. Past the last page: an empty list, not the last
    # page again.
    result = listing.page(page, q, country, sector, per_page)
    if listing.withheld(q, country, sector) or result.number != page:
        return []
    # Serialised here: the rows already hold the schema's types, so validating each
    # of up to 1,000 rows through the schema (a third of a page's Python time) is
    # skipped; its fields in its order give the same bytes (test_load.py).
    rows = [{name: row[name] for name in PUBLIC_FACILITY_FIELDS} for row in result.object_list]
    return HttpResponse(
        json.dumps(rows, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8"
    )
