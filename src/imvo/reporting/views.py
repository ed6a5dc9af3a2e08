"""Reporting pages: published reports, the secretariat's draft, dashboards and
open data. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imvo.accounts import seams as roles
from imvo.core.errors import DomainError
from imvo.core.exports import table_response
from imvo.core.flash import flash_outcome
from imvo.core.text import whole_number
from imvo.covenants.models import Covenant
from imvo.covenants.seams import secretariat_page
from imvo.reporting import render as rendering
from imvo.reporting.models import PublishedReport, SectionText
from imvo.reporting.services import build, changes, dashboards, publication
from imvo.reporting.services import open_data as open_data_service

FORMATS = ["csv", "xlsx", "json"]


def _covenant(slug: str) -> Covenant:
    return get_object_or_404(Covenant, slug=slug)


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/index.html",
        {
            "reports": publication.latest_editions(),
            "covenants": Covenant.objects.order_by("name_en"),
        },
    )


# --- published reports ------------------------------------------------------------


def _edition_or_404(covenant: Covenant, year: int, version: int | None) -> PublishedReport:
    edition = publication.latest_edition(covenant, year, version)
    if edition is None:
        raise Http404
    return edition


def report(request: HttpRequest, slug: str, year: int, version: int | None = None) -> HttpResponse:
    covenant = _covenant(slug)
    edition = _edition_or_404(covenant, year, version)
    versions = publication.versions_of(covenant, year)
    return render(
        request,
        "reporting/report.html",
        {
            "covenant": covenant,
            "year": year,
            "edition": edition,
            "sections": edition.snapshot.get("sections", []),
            "body": edition.html,
            "older": [{"version": v} for v in versions if v != edition.version],
            "latest_version": versions[0],
            "can_manage": roles.is_secretariat(request.user, covenant),
        },
    )


def report_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    covenant = _covenant(slug)
    version = request.GET.get("version", "")
    number = whole_number(version)
    if version and number is None:  # "²", "1.0", 25 digits: no such version (was a 500)
        raise Http404
    edition = _edition_or_404(covenant, year, number)
    name = f"{covenant.slug}-progress-report-{year}-v{edition.version}-{edition.language}.pdf"
    return _inline_pdf(bytes(edition.pdf), name)


def _inline_pdf(pdf: bytes, filename: str) -> HttpResponse:
    """A report PDF to read in the browser (inline), saved under ``filename``."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- the secretariat's draft --------------------------------------------------------


@secretariat_page
def draft(request: HttpRequest, covenant: Covenant, year: int) -> HttpResponse:
    if (chosen := whole_number(request.GET.get("year"), max_digits=4)) is not None:
        return redirect("reporting:draft", covenant.slug, chosen)
    texts = build.section_texts(covenant, year)
    try:
        data = build.build_report(covenant, year, texts=texts)
    except DomainError as e:
        messages.error(request, str(e))
        years = build.report_years(covenant)
        if years and year not in years:
            return redirect("reporting:draft", covenant.slug, years[-1])
        return redirect("reporting:dashboard", covenant.slug)
    return render(
        request,
        "reporting/draft.html",
        {
            "covenant": covenant,
            "year": year,
            "years": build.report_years(covenant),
            "report": data,
            "texts": _text_forms(data, texts),
            "body": rendering.render_report_html(data),
            "editions": publication.editions_of(covenant, year),
        },
    )


def _text_forms(data: dict[str, Any], texts: dict[str, SectionText]) -> list[dict[str, Any]]:
    """One form per section of the draft, with the secretariat's Dutch and English text."""
    forms = []
    for s in data["sections"]:
        text = texts.get(s["key"])
        forms.append(
            {
                "key": s["key"],
                "title": s["title"],
                "nl": text.text_nl if text else "",
                "en": text.text_en if text else "",
            }
        )
    return forms


@secretariat_page
def draft_pdf(request: HttpRequest, covenant: Covenant, year: int) -> HttpResponse:
    try:
        data = build.build_report(covenant, year)
    except DomainError as e:
        messages.error(request, str(e))
        return redirect("reporting:dashboard", covenant.slug)
    return _inline_pdf(rendering.render_report_pdf(data), f"{covenant.slug}-draft-{year}.pdf")


@secretariat_page
@require_POST
def section_text(request: HttpRequest, covenant: Covenant, year: int) -> HttpResponse:
    flash_outcome(
        request,
        lambda: publication.save_section_text(
            request.user,
            covenant,
            year,
            request.POST.get("key", ""),
            nl=request.POST.get("text_nl", ""),
            en=request.POST.get("text_en", ""),
        ),
        _("Text saved."),
    )
    return redirect("reporting:draft", covenant.slug, year)


@secretariat_page
@require_POST
def publish(request: HttpRequest, covenant: Covenant, year: int) -> HttpResponse:
    """Publish the draft. A new edition of a published report is first shown to the
    secretariat with what it changes in the public figures (`changes`), and
    published only when confirmed."""
    if request.POST.get("confirm") != "1":
        try:
            previous, changed = changes.changes_since_published(covenant, year)
        except DomainError as e:
            messages.error(request, str(e))
            return redirect("reporting:draft", covenant.slug, year)
        if previous is not None:
            sections: dict[str, list[str]] = {}
            for change in changed:
                sections.setdefault(change.section, []).append(change.what)
            return render(
                request,
                "reporting/confirm_publish.html",
                {
                    "covenant": covenant,
                    "year": year,
                    "previous": previous,
                    "sections": sections,
                    "version": previous.version + 1,
                },
            )
    try:
        edition = publication.publish_report(request.user, covenant, year)
    except DomainError as e:
        messages.error(request, str(e))
        return redirect("reporting:draft", covenant.slug, year)
    messages.success(
        request,
        _("Published: version %(v)s of the %(year)s report.")
        % {"v": edition.version, "year": year},
    )
    return redirect("reporting:report", covenant.slug, year)


# --- dashboards -------------------------------------------------------------------------


def overview(request: HttpRequest) -> HttpResponse:
    data = dashboards.overview_dashboard()
    return render(
        request,
        "reporting/dashboard.html",
        {
            "title": _("Dashboard: all covenants"),
            "data": data,
            "body": rendering.render_sections_html(data),
        },
    )


def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = _covenant(slug)
    data = dashboards.covenant_dashboard(covenant)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "title": _("Dashboard: %(name)s") % {"name": covenant.name},
            "covenant": covenant,
            "data": data,
            "body": rendering.render_sections_html(data),
            "reports": publication.latest_editions_of(covenant),
            "can_manage": roles.is_secretariat(request.user, covenant),
        },
    )


# --- open data -------------------------------------------------------------------------------


def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/open_data.html",
        {
            "tables": open_data_service.open_tables(),
            "formats": FORMATS,
            "licence": build.LICENCE,
            "licence_url": build.LICENCE_URL,
        },
    )


def open_data_table(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    try:
        table = open_data_service.open_table(name)
    except DomainError:
        raise Http404 from None
    filename = f"imvo-{table.name}-{timezone.localdate().isoformat()}"
    return table_response(fmt, filename, table.header, table.rows(), table.meta())
