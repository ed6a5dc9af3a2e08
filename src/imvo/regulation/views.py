"""Regulation pages: a member's filings (ESRS S2 draft, CSDDD pack), its engagement
log, EUDR plots and forced-labour readiness; the secretariat's mapping. Thin: parse,
call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imvo.accounts import seams as roles
from imvo.core.errors import DomainError
from imvo.core.flash import flash_outcome
from imvo.core.text import whole_number
from imvo.covenants.models import Covenant
from imvo.covenants.seams import secretariat_page
from imvo.duediligence.models import Action, Submission
from imvo.duediligence.seams import member_covenant
from imvo.regulation import legal
from imvo.regulation.models import EngagementEntry, PlotUpload, RetainedDocument
from imvo.regulation.services import engagement, eudr, exports, forced_labour, mapping, suppliers
from imvo.regulation.services.access import NotFound, covenants_of
from imvo.risk.models import RegisterEntry

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zip": "application/zip",
    "geojson": "application/geo+json",
}


def _download(doc: RetainedDocument) -> FileResponse:
    name = (doc.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(
        doc.file.open("rb"), as_attachment=True, filename=name,
        content_type=CONTENT_TYPES.get(doc.fmt, "application/octet-stream"),
    )  # fmt: skip
    response["X-Content-SHA256"] = doc.sha256
    return response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    oid = roles.organisation_id(request.user) or 0
    member = []
    for c in covenants_of(request.user):
        subs = (
            Submission.objects.filter(covenant=c, organisation_id=oid).handed_in().order_by("-year")
        )
        member.append({"covenant": c, "submissions": subs, "eudr": eudr.eudr_applies(c)})
    docs = RetainedDocument.objects.visible_to(request.user).filter(organisation_id=oid)
    managed = Covenant.objects.filter(pk__in=roles.managed_covenant_ids(request.user))
    return render(
        request,
        "regulation/index.html",
        {
            "member": member,
            "documents": docs.select_related("covenant") if oid else [],
            "managed": managed,
            "named": engagement.named_for(request.user),
            "legal": legal,
        },
    )


def _file_and_download(
    request: HttpRequest, file_it: Callable[[], RetainedDocument], back: str
) -> HttpResponseBase:
    """File an export (`file_it`) and hand it out as filed. What the user may not
    see is a 404; any other refusal goes back to the page `back` with its reason."""
    try:
        doc = file_it()
    except NotFound:
        raise Http404 from None
    except DomainError as e:
        messages.error(request, str(e))
        return redirect(back)
    return _download(doc)


@login_required
def esrs_draft(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    return _file_and_download(
        request,
        lambda: exports.check_esrs_draft(request.user, pk, fmt),
        reverse("regulation:index"),
    )


@login_required
def csddd_pack(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _file_and_download(
        request, lambda: exports.check_csddd_pack(request.user, pk), reverse("regulation:index")
    )


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponseBase:
    doc = RetainedDocument.objects.visible_to(request.user).filter(pk=pk).first()
    if doc is None:
        raise Http404
    return _download(doc)


@secretariat_page
def mapping_table(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    if request.method == "POST":
        key = request.POST.get("key", "")
        if request.POST.get("do") == "reset":
            done = flash_outcome(
                request,
                lambda: mapping.check_reset_row(request.user, covenant, key),
                _("Back to the default mapping."),
            )
        else:
            done = flash_outcome(
                request, lambda: _set_mapping_row(request, covenant, key), _("Mapping saved.")
            )
        if done:
            return redirect("regulation:mapping", slug=covenant.slug)
    rows = sorted(mapping.effective_mapping(covenant).values(), key=lambda m: (m.oecd_step, m.key))
    return render(
        request,
        "regulation/mapping.html",
        {"covenant": covenant, "rows": rows, "legal": legal,
         "can_edit": roles.is_secretariat(request.user, covenant)},
    )  # fmt: skip


def _set_mapping_row(request: HttpRequest, covenant: Covenant, key: str) -> None:
    p = request.POST
    try:
        step = int(p.get("oecd_step", ""))
    except ValueError:
        raise DomainError(_("The OECD step is a number from 1 to 6.")) from None
    mapping.check_set_row(
        request.user, covenant, key, label=p.get("label", ""), articles=p.get("articles", ""),
        esrs=p.get("esrs", ""), oecd_step=step, vsme=p.get("vsme") == "on",
    )  # fmt: skip


def _record_engagement(request: HttpRequest, covenant: Covenant) -> EngagementEntry:
    p = request.POST
    try:
        when = date.fromisoformat(p.get("date", ""))
    except ValueError:
        raise DomainError(_("Give the date as YYYY-MM-DD.")) from None
    return engagement.check_record(
        request.user, covenant, when=when, kind=p.get("kind", ""),
        stakeholder=p.get("stakeholder", ""), method=p.get("method", ""),
        topic=p.get("topic", ""), outcome=p.get("outcome", ""),
        stakeholder_organisation=whole_number(p.get("named")),
        register_entries=[n for x in p.getlist("risks") if (n := whole_number(x)) is not None],
        actions=[n for x in p.getlist("actions") if (n := whole_number(x)) is not None],
    )  # fmt: skip


@login_required
def engagement_log(request: HttpRequest, slug: str) -> HttpResponse:
    covenant, org = member_covenant(request.user, slug, active_only=False)
    if request.method == "POST" and flash_outcome(
        request, lambda: _record_engagement(request, covenant), _("Engagement recorded.")
    ):
        return redirect("regulation:engagement", slug=slug)
    return render(
        request,
        "regulation/engagement.html",
        {
            "covenant": covenant,
            "entries": engagement.entries(request.user, covenant).filter(organisation=org),
            "kinds": EngagementEntry.Kind.choices,
            "methods": EngagementEntry.Method.choices,
            "named": engagement.confirmers(covenant),
            "risks": RegisterEntry.objects.filter(organisation=org).order_by("-priority")[:50],
            "actions": Action.objects.filter(covenant=covenant, organisation=org)[:50],
            "posted": request.POST if request.method == "POST" else {},
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        engagement.check_confirm(request.user, pk)
    except NotFound:
        raise Http404 from None
    except DomainError as e:
        messages.error(request, str(e))
        return redirect("regulation:index")
    messages.success(request, _("Thank you: the engagement is confirmed."))
    return redirect("regulation:index")


@login_required
def plots(request: HttpRequest, slug: str) -> HttpResponse:
    covenant, org = member_covenant(request.user, slug, active_only=False)
    if not eudr.eudr_applies(covenant):
        raise Http404
    upload = None
    if request.method == "POST":
        f = request.FILES.get("file")
        if f is None:
            messages.error(request, _("Choose a GeoJSON or CSV file of plots."))
        else:
            try:
                eudr.POLICY.check_size(f.name or "", f.size or 0)
                upload = eudr.check_upload(request.user, covenant, f.name or "plots", f.read())
            except DomainError as e:
                messages.error(request, str(e))
            else:
                if upload.errors:
                    messages.error(
                        request,
                        _(
                            "%(n)s errors in %(name)s: nothing was imported. Fix the rows below and upload the file again."
                        )
                        % {"n": len(upload.errors), "name": upload.name},
                    )
                else:
                    messages.success(
                        request,
                        _("%(n)s plots imported from %(name)s.")
                        % {"n": upload.rows, "name": upload.name},
                    )
                    return redirect("regulation:plots", slug=slug)
    rows = eudr.plots(request.user, covenant).filter(organisation=org)
    uploads = PlotUpload.objects.visible_to(request.user).filter(
        covenant=covenant, organisation=org
    )
    return render(
        request,
        "regulation/plots.html",
        {
            "covenant": covenant,
            "plots": rows,
            "upload": upload,
            "uploads": uploads[:10],
            "commodities": eudr.SECTOR_COMMODITIES[covenant.sector],
            "columns": eudr.CSV_COLUMNS,
        },
    )


@login_required
def plots_geojson(request: HttpRequest, slug: str) -> HttpResponseBase:
    covenant, _org = member_covenant(request.user, slug, active_only=False)
    if not eudr.eudr_applies(covenant):
        raise Http404
    return _file_and_download(
        request,
        lambda: exports.check_eudr_geojson(request.user, covenant),
        reverse("regulation:plots", args=[slug]),
    )


@login_required
def forced_labour_page(request: HttpRequest, slug: str) -> HttpResponseBase:
    covenant, _org = member_covenant(request.user, slug, active_only=False)
    if request.method == "POST":
        try:
            doc = forced_labour.check_evidence_file(
                request.user, covenant, request.POST.get("product", "")
            )
        except NotFound:
            raise Http404 from None
        except DomainError as e:
            messages.error(request, str(e))
        else:
            return _download(doc)
    _org, locs = forced_labour.readiness(request.user, covenant)
    return render(
        request,
        "regulation/forced_labour_page.html",
        {"covenant": covenant, "locations": locs, "flagged": sum(1 for x in locs if x.flagged)},
    )


@login_required
def supplier_requests(request: HttpRequest, slug: str) -> HttpResponse:
    covenant, org = member_covenant(request.user, slug, active_only=False)
    supplier, employees = request.POST.get("supplier", ""), request.POST.get("employees", "")
    if request.method == "POST" and flash_outcome(
        request,
        lambda: suppliers.check_create(request.user, covenant, supplier, employees),
        _("Request made: send the supplier its link."),
    ):
        return redirect("regulation:suppliers", slug=slug)
    rows = [
        (r, suppliers.completeness(r), request.build_absolute_uri(
            reverse("regulation:supplier_form", args=[r.token])))
        for r in suppliers.requests_of(request.user, covenant).filter(organisation=org)
    ]  # fmt: skip
    return render(
        request,
        "regulation/suppliers.html",
        {"covenant": covenant, "rows": rows, "cap": suppliers.CAP_EMPLOYEES},
    )


def supplier_form(request: HttpRequest, token: str) -> HttpResponse:
    """The supplier's questionnaire, reached through its secret link (no account)."""
    req = suppliers.by_token(token)
    if req is None:
        raise Http404
    if request.method == "POST" and not req.answered:
        keys = [str(q["key"]) for q in req.questions]
        answers = {k: request.POST.get(f"a-{k}", "") for k in keys}
        declined = {k for k in keys if request.POST.get(f"decline-{k}") == "on"}
        if flash_outcome(
            request,
            lambda: suppliers.check_answer(req, answers, declined),
            _("Thank you: your answers were sent."),
        ):
            return redirect("regulation:supplier_form", token=token)
    return render(
        request,
        "regulation/supplier_form.html",
        {"req": req, "capped": req.employees <= suppliers.CAP_EMPLOYEES,
         "cap": suppliers.CAP_EMPLOYEES},
    )  # fmt: skip
