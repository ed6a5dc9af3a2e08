"""Reporting pages: published reports, the secretariat's draft, dashboards, the
learning library and open data. Thin: parse, call a service, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from imvo.accounts import services as roles
from imvo.core.errors import DomainError
from imvo.core.exports import table_response
from imvo.covenants.models import Covenant, Theme
from imvo.reporting import render as rendering
from imvo.reporting.models import LearningAttachment, LearningItem, PublishedReport
from imvo.reporting.services import build, dashboards, publication
from imvo.reporting.services import learning as library
from imvo.reporting.services import open_data as open_data_service

FORMATS = ["csv", "xlsx", "json"]


def _covenant(slug: str) -> Covenant:
    return get_object_or_404(Covenant, slug=slug)


def _managed(request: HttpRequest, slug: str) -> Covenant:
    covenant = _covenant(slug)
    if not roles.is_secretariat(request.user, covenant):
        # 404, not 403: drafts are not confirmed to exist for others.
        raise Http404
    return covenant


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
    edition = _edition_or_404(covenant, year, int(version) if version.isdigit() else None)
    response = HttpResponse(bytes(edition.pdf), content_type="application/pdf")
    name = f"{covenant.slug}-progress-report-{year}-v{edition.version}-{edition.language}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- the secretariat's draft --------------------------------------------------------


@login_required
def draft(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    covenant = _managed(request, slug)
    if request.GET.get("year", "").isdigit():
        return redirect("reporting:draft", slug, int(request.GET["year"]))
    try:
        data = build.build_report(covenant, year)
    except DomainError as e:
        messages.error(request, str(e))
        years = build.report_years(covenant)
        if years and year not in years:
            return redirect("reporting:draft", slug, years[-1])
        return redirect("reporting:dashboard", slug)
    return render(
        request,
        "reporting/draft.html",
        {
            "covenant": covenant,
            "year": year,
            "years": build.report_years(covenant),
            "report": data,
            "body": rendering.render_report_html(data),
            "editions": [
                publication.latest_edition(covenant, year, v)
                for v in sorted(publication.versions_of(covenant, year))
            ],
        },
    )


@login_required
def draft_pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    covenant = _managed(request, slug)
    try:
        data = build.build_report(covenant, year)
    except DomainError as e:
        messages.error(request, str(e))
        return redirect("reporting:dashboard", slug)
    response = HttpResponse(rendering.render_report_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-draft-{year}.pdf"'
    return response


@login_required
@require_POST
def section_text(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    covenant = _managed(request, slug)
    try:
        publication.save_section_text(
            request.user,
            covenant,
            year,
            request.POST.get("key", ""),
            request.POST.get("text", ""),
        )
        messages.success(request, _("Text saved."))
    except DomainError as e:
        messages.error(request, str(e))
    return redirect("reporting:draft", slug, year)


@login_required
@require_POST
def publish(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    covenant = _managed(request, slug)
    try:
        edition = publication.publish_report(request.user, covenant, year)
    except DomainError as e:
        messages.error(request, str(e))
        return redirect("reporting:draft", slug, year)
    messages.success(
        request,
        _("Published: version %(v)s of the %(year)s report.")
        % {"v": edition.version, "year": year},
    )
    return redirect("reporting:report", slug, year)


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


# --- learning library --------------------------------------------------------------------


def learning(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    covenant_slug = request.GET.get("covenant", "")
    covenant = Covenant.objects.filter(slug=covenant_slug).first() if covenant_slug else None
    theme_code = request.GET.get("theme", "")[:60]
    kind = request.GET.get("kind", "")
    if kind not in LearningItem.Kind.values:
        kind = ""
    items = library.search_learning(q, covenant, theme_code, kind=kind)[:100]
    return render(
        request,
        "reporting/learning_list.html",
        {
            "items": list(items),
            "q": q,
            "covenant_slug": covenant_slug,
            "theme_code": theme_code,
            "kind": kind,
            "kinds": LearningItem.Kind.choices,
            "covenants": Covenant.objects.order_by("name_en"),
            "themes": Theme.objects.filter(covenant=None),
            "can_share": library.covenants_user_may_share_in(request.user).exists(),
        },
    )


def learning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(library.learning_items_visible_to(request.user), pk=pk)
    return render(request, "reporting/learning_detail.html", {"item": item})


def learning_attachment(request: HttpRequest, pk: int) -> FileResponse:
    att = get_object_or_404(
        LearningAttachment.objects.filter(item__in=library.learning_items_visible_to(request.user)),
        pk=pk,
    )
    # Always a download with the type we checked on upload: never rendered in our origin.
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class LearningForm(forms.Form):
    covenant = forms.ModelChoiceField(
        queryset=Covenant.objects.none(), label=gettext_lazy("Covenant")
    )
    kind = forms.ChoiceField(choices=LearningItem.Kind.choices, label=gettext_lazy("Kind"))
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    theme = forms.ModelChoiceField(
        queryset=Theme.objects.all(), required=False, label=gettext_lazy("Theme")
    )
    summary = forms.CharField(max_length=300, required=False, label=gettext_lazy("Summary"))
    text = forms.CharField(widget=forms.Textarea, label=gettext_lazy("Text"))
    attachments = MultipleFileField(
        required=False,
        label=gettext_lazy("Attachments"),
        help_text=gettext_lazy(
            "At most 3 files of at most 5 MB: PDF, PNG, JPEG, DOCX, XLSX, ODT, TXT, CSV."
        ),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        covenants = library.covenants_user_may_share_in(user)
        self.fields["covenant"].queryset = covenants  # type: ignore[attr-defined]
        # OECD chapters, and the sub-themes of the covenants this user shares in.
        self.fields["theme"].queryset = Theme.objects.filter(  # type: ignore[attr-defined]
            Q(covenant=None) | Q(covenant__in=covenants)
        ).order_by("covenant_id", "order", "code")


@login_required
def learning_new(request: HttpRequest) -> HttpResponse:
    if not library.covenants_user_may_share_in(request.user).exists():
        raise Http404
    error = ""
    form = LearningForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        uploads = [library.Upload(f.name, f.read()) for f in d["attachments"]]
        try:
            item = library.publish_learning_item(
                request.user,
                d["covenant"],
                d["title"],
                d["text"],
                kind=d["kind"],
                theme=d["theme"],
                summary=d["summary"],
                attachments=uploads,
            )
        except DomainError as e:
            error = str(e)
        else:
            messages.success(request, _("Published in the learning library."))
            return redirect(item)
    return render(request, "reporting/learning_form.html", {"form": form, "error": error})


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
