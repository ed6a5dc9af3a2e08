"""Reporting endpoints: published reports and open data tables (public)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant
from imvo.reporting.models import PublishedReport
from imvo.reporting.services import build, open_data, publication

router = Router(tags=["reporting"])


class ReportOut(Schema):
    covenant: str
    year: int
    version: int
    published_at: datetime
    language: str
    url: str
    pdf_url: str


def _report_out(r: PublishedReport) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "covenant": r.covenant.slug,
        "year": r.year,
        "version": r.version,
        "published_at": r.published_at,
        "language": r.language,
        "url": r.get_absolute_url(),
        "pdf_url": reverse("reporting:report_pdf", args=[r.covenant.slug, r.year]),
    }


@router.get("/reports", response=list[ReportOut], summary="Published yearly progress reports")
def list_reports(request: HttpRequest) -> list[dict[str, Any]]:
    """The latest edition of every published report."""
    return [_report_out(r) for r in publication.latest_editions()]


@router.get(
    "/reports/{covenant}/{year}",
    summary="A published report's frozen data snapshot (latest edition)",
)
def report_snapshot(request: HttpRequest, covenant: str, year: int) -> dict[str, Any]:
    c = get_object_or_404(Covenant, slug=covenant)
    edition = publication.latest_edition(c, year)
    if edition is None:
        raise HttpError(404, "No published report for this covenant and year.")
    return {**_report_out(edition), "snapshot": edition.snapshot}


@router.get("/open-data", summary="The open data tables and their data dictionary")
def open_data_index(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "title": t.title,
            "description": t.description,
            "licence": build.LICENCE,
            "attribution": t.source,
            "columns": [
                {"name": c.name, "type": c.type, "description": c.description} for c in t.columns
            ],
        }
        for t in open_data.open_tables()
    ]


@router.get("/open-data/{name}", summary="One open data table as JSON (licence in meta)")
def open_data_rows(request: HttpRequest, name: str) -> dict[str, Any]:
    try:
        table = open_data.open_table(name)
    except DomainError as e:
        raise HttpError(404, str(e)) from None
    return {
        "meta": table.meta(),
        "data": [dict(zip(table.header, r, strict=False)) for r in table.rows()],
    }
