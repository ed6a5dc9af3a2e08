"""Supply-chain pages: upload, progress, decisions, downloads, shared suppliers,
and the public production-location list. Thin: each calls a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from imvo.accounts import services as roles
from imvo.core.cache import cached
from imvo.core.countries import display_name
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.exports import table_response
from imvo.core.text import whole_number
from imvo.covenants.models import Covenant
from imvo.covenants.services import covenants_visible_to
from imvo.supplychain import disclosure, public, publication, services
from imvo.supplychain import map as world_map
from imvo.supplychain.forms import MappingForm, UploadForm, columns_read
from imvo.supplychain.models import Match, SupplierList
from imvo.supplychain.sectors import sector_label

FORMATS = {"csv", "xlsx", "json"}


def _visible_list(request: HttpRequest, pk: int) -> SupplierList:
    # Another company's list is a 404: do not confirm that it exists.
    return get_object_or_404(services.lists_visible_to(request.user), pk=pk)


def _refused(request: HttpRequest, reason: str, sl: SupplierList | None = None) -> HttpResponse:
    """A change the user may not make (the secretariat changing a member's
    disclosure): the reason on the page, with a 403."""
    return render(
        request,
        "supplychain/refused.html",
        {"reason": reason, "title": _("Supplier list"), "sl": sl},
        status=403,
    )


def _change_list(
    request: HttpRequest, sl: SupplierList, change: Callable[[], object]
) -> HttpResponse:
    """Make a member's change to its list (`change`), then back to the list: a change
    the user may not make is the 403 page with its reason, any other refusal a
    message on the list."""
    try:
        change()
    except PermissionDeniedError as e:
        return _refused(request, str(e), sl)
    except DomainError as e:
        messages.error(request, str(e))
    return redirect("supplychain:list", pk=sl.pk)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    lists = services.lists_visible_to(request.user).with_current().order_by("-year", "-uploaded")
    member_covenants = services.member_covenants(request.user)
    managed = Covenant.objects.filter(pk__in=roles.managed_covenant_ids(request.user))
    if roles.is_platform_admin(request.user):
        managed = Covenant.objects.all()
    page = Paginator(lists, 50).get_page(request.GET.get("page"))
    stages = services.stage_counts_for([sl.pk for sl in page.object_list])
    for sl in page.object_list:
        sl.stages = stages.get(sl.pk, [])  # type: ignore[attr-defined]  # for index.html
    org = roles.organisation_id(request.user)
    disclosures = (
        disclosure.disclosures_visible_to(request.user).filter(organisation_id=org)
        if org
        else disclosure.disclosures_visible_to(request.user).none()
    )
    return render(
        request,
        "supplychain/index.html",
        {
            "page": page,
            "member_covenants": member_covenants,
            "managed": managed,
            "disclosures": disclosures[:50],
            "own_organisation": org,
        },
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    covenants = services.member_covenants(request.user)
    if not covenants.exists():
        raise Http404
    refusal = services.disclosure_refusal(request.user, covenants)
    if refusal:  # a union or an NGO in the covenant: say why, do not offer the form
        return render(request, "supplychain/refused.html", {"reason": refusal}, status=403)
    covenants = services.disclosing_covenants(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, covenants=covenants)
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        try:
            # The member sees the effect and confirms before anything changes.
            sl = services.upload_list(
                request.user,
                form.cleaned_data["covenant"],
                form.cleaned_data["year"],
                f.name,
                f.read(),
                mode=form.cleaned_data.get("mode") or None,
                confirm=False,
            )
        except DomainError as e:
            form.add_error("file", str(e))
            # The page comes back with the choice or the reason, but without the file.
            form.add_error(
                "file",
                _(
                    "Select the file again before you upload: the browser does not keep it "
                    "after a refusal."
                ),
            )
        else:
            return redirect("supplychain:list", pk=sl.pk)
    disclosed = services.years_disclosed(roles.organisation_id(request.user), covenants)
    return render(request, "supplychain/upload.html", {"form": form, "disclosed": disclosed})


def _list_context(sl: SupplierList) -> dict[str, Any]:
    running = sl.status in (SupplierList.Status.QUEUED, SupplierList.Status.PROCESSING)
    return {"sl": sl, "running": running}


@login_required
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sl = _visible_list(request, pk)
    context = _list_context(sl)
    context["can_decide"] = services.can_decide(request.user, sl)
    context["own_organisation"] = roles.organisation_id(request.user)
    context["history"] = (
        services.lists_visible_to(request.user)
        .with_current()
        .filter(covenant=sl.covenant, organisation=sl.organisation, year=sl.year)
        .exclude(pk=sl.pk)
    )
    context["disclosure"] = disclosure.find(sl.covenant_id, sl.organisation_id, sl.year)
    stages = services.stage_counts(sl)
    # A file that could not be read has no rows: four zeros under its reason read as
    # if something had been processed.
    failed_empty = sl.status == SupplierList.Status.FAILED and not any(n for *_, n in stages)
    context["stages"] = [] if failed_empty else stages
    context["stuck"] = services.is_stuck(sl)
    if sl.status == SupplierList.Status.PREVIEW:
        context["preview"] = disclosure.preview(sl)
        context["encodings"] = services.ENCODINGS
        context["columns"] = columns_read(sl.header, sl.column_map)
    return render(request, "supplychain/list.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The member confirms the previewed effect, cancels, or picks another encoding."""
    sl = _visible_list(request, pk)
    action = request.POST.get("action", "")

    def decide() -> None:
        services.require_decide(request.user, sl)  # whatever the action asked
        if action == "confirm":
            # Pinned to what the page showed (the effect and the files it was computed
            # against); a post without them (an old page) is refused like a changed one.
            services.confirm_list(
                request.user,
                sl,
                seen=request.POST.get("seen", ""),
                seen_files=request.POST.get("seen_files", ""),
            )
            messages.success(request, _("Confirmed: the list is now part of your disclosure."))
        elif action == "cancel":
            services.cancel_list(request.user, sl)
            messages.success(request, _("Cancelled: your disclosure did not change."))
        elif action == "encoding":
            services.choose_encoding(request.user, sl, request.POST.get("encoding", ""))
        elif action in (services.ADD, services.REPLACE):
            services.choose_mode(request.user, sl, action)
        else:
            raise DomainError(_("Unknown action."))

    return _change_list(request, sl, decide)


@login_required
def disclosure_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every version of a member's disclosure for a covenant and year; restore one,
    or carry the current one forward to the next year."""
    d = get_object_or_404(disclosure.disclosures_visible_to(request.user), pk=pk)
    if request.method == "POST":
        try:
            disclosure.require_change(request.user, d)
        except PermissionDeniedError as e:
            return _refused(request, str(e))
        try:
            if request.POST.get("action") == "carry":
                version = disclosure.carry_forward(request.user, d.covenant, d.year + 1)
                messages.success(
                    request,
                    _("Your %(y)s disclosure now holds last year's locations.") % {"y": d.year + 1},
                )
                return redirect("supplychain:disclosure", pk=version.disclosure_id)
            chosen = get_object_or_404(
                d.versions.defer("risk_scan"), pk=whole_number(request.POST.get("version")) or 0
            )
            restored = disclosure.restore_version(request.user, chosen)
            messages.success(
                request,
                _("Version %(old)s is your disclosure again (as version %(new)s).")
                % {"old": chosen.number, "new": restored.number},
            )
        except DomainError as e:
            messages.error(request, str(e))
        return redirect("supplychain:disclosure", pk=d.pk)
    versions = disclosure.history(request.user, d)
    next_year = d.year + 1
    can_carry = (
        disclosure.may_change(request.user, d)
        and roles.organisation_id(request.user) == d.organisation_id
        and any(v.is_current for v in versions)
        and next_year <= timezone.now().year + 1
        and disclosure.current_version(disclosure.find(d.covenant_id, d.organisation_id, next_year))
        is None
    )
    return render(
        request,
        "supplychain/disclosure.html",
        {
            "d": d,
            "versions": versions,
            "can_change": disclosure.may_change(request.user, d),
            "can_carry": can_carry,
            "next_year": next_year,
        },
    )


@login_required
def list_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; without JavaScript the page refreshes itself."""
    sl = _visible_list(request, pk)
    response = render(request, "supplychain/_progress.html", _list_context(sl))
    if sl.status not in (SupplierList.Status.QUEUED, SupplierList.Status.PROCESSING):
        response["HX-Refresh"] = "true"
    return response


@login_required
def mapping(request: HttpRequest, pk: int) -> HttpResponse:
    sl = _visible_list(request, pk)
    try:
        services.require_decide(request.user, sl)
    except PermissionDeniedError as e:
        return _refused(request, str(e), sl)
    form = MappingForm(request.POST or None, header=sl.header, initial_map=sl.column_map)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_column_map(request.user, sl, form.cleaned_data)
        except DomainError as e:
            form.add_error(None, str(e))
        else:
            return redirect("supplychain:list", pk=sl.pk)
    return render(request, "supplychain/mapping.html", {"sl": sl, "form": form})


@login_required
@require_POST
def rerun(request: HttpRequest, pk: int) -> HttpResponse:
    sl = _visible_list(request, pk)
    return _change_list(request, sl, lambda: services.run_again(request.user, sl))


@login_required
def rows(request: HttpRequest, pk: int) -> HttpResponse:
    sl = _visible_list(request, pk)
    status = request.GET.get("status", "")
    qs = sl.rows.select_related("match", "match__facility").order_by("number")
    if status in {"valid", "invalid", "duplicate"}:
        qs = qs.filter(status=status)
    elif status in {s.value for s in Match.Status}:
        qs = qs.filter(match__status=status)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "supplychain/rows.html", {"sl": sl, "page": page, "status": status})


@login_required
def export_processed(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sl = _visible_list(request, pk)
    if fmt not in FORMATS:
        raise Http404
    return table_response(
        fmt,
        f"supplier-list-{sl.year}-{sl.pk}-processed",
        services.PROCESSED_HEADER,
        services.processed_rows(sl),
        {"list": sl.original_name, "year": sl.year, "sha256": sl.sha256},
    )


@login_required
def export_errors(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    sl = _visible_list(request, pk)
    if fmt not in FORMATS:
        raise Http404
    header, out = services.error_report(sl)
    return table_response(
        fmt, f"supplier-list-{sl.year}-{sl.pk}-errors", header, out, {"list": sl.original_name}
    )


@login_required
def original(request: HttpRequest, pk: int) -> FileResponse:
    sl = _visible_list(request, pk)
    return FileResponse(sl.file.open("rb"), as_attachment=True, filename=sl.original_name)


@login_required
def shared(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = get_object_or_404(covenants_visible_to(request.user), slug=slug)
    years = services.years_with_lists(covenant)
    year = _year(request, years)
    context: dict[str, Any] = {"covenant": covenant, "year": year, "years": years}
    if roles.is_secretariat(request.user, covenant):
        context["overlap"] = services.overlap_for_secretariat(request.user, covenant, year)
    elif services.member_covenants(request.user).filter(pk=covenant.pk).exists():
        context["mine"] = services.shared_for_member(request.user, covenant, year)
        k = publication.policy_for(covenant).min_members
        context["k"] = k
        if any(f["others"] is None for f in context["mine"]):
            context["withheld_k"] = k
    else:
        raise Http404
    return render(request, "supplychain/shared.html", context)


def _year(request: HttpRequest, years: list[int]) -> int | None:
    value = whole_number(request.GET.get("year", ""))
    if value is not None and value in years:
        return value
    return years[0] if years else None


def public_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The covenant's public list of production locations (never which member buys where)."""
    found = publication.public_covenant(request.user, slug)  # one statement for both
    if found is None:
        raise Http404
    covenant, state = found
    # Only years that pass the publication rule (published, K members) are offered.
    listing = public.listing(covenant, request.GET.get("year"), state)
    years, year = listing.state.years, listing.year
    q = request.GET.get("q", "").strip()[:200]
    country = request.GET.get("country", "").strip()[:2]
    sector = request.GET.get("sector", "").strip()[:100]
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        facilities = listing.all(q, country, sector)
        header = ["id", "name", "address", "country", "sector", "members", "named_members"]
        return table_response(
            fmt,
            f"{covenant.slug}-production-locations-{year}",
            header,
            [
                [
                    f["id"],
                    f["name"],
                    f["address"],
                    f["country"],
                    f["sector"],
                    f["members"],
                    ", ".join(f["named_members"]),
                ]
                for f in facilities
            ],
            {
                "covenant": covenant.name,
                "year": year,
                "licence": "CC BY 4.0",
                "about": "Production locations disclosed by covenant members; "
                "members: how many members source there, as a band (1\u20134, 5\u20139, 10\u201324, "
                "25\u201349, 50+).",
            },
        )
    # Counted, grouped and paged in the database (the load test found the whole
    # list built twice in Python for every page view: docs/performance.md). The
    # rendered body is cached too: rendering 100 rows was most of a view's time.
    page_no = request.GET.get("page", "1")
    page_no = page_no if whole_number(page_no, max_digits=6) is not None else "1"

    def key() -> str:
        return publication.public_cache_key(
            covenant, year, "html", q, country.upper(), sector.lower(), page_no, years
        )

    def render_body() -> str:
        page = listing.page(page_no, q, country, sector)  # a filter's K check comes with it
        withheld = listing.withheld(q, country, sector)
        countries, sectors = listing.facets()
        return render_to_string(
            "supplychain/_public_body.html",
            {
                "year": year,
                "years": years,
                "page": page,
                "total": page.paginator.count,
                "q": q,
                "country": country,
                "sector": sector,
                "countries": countries,
                # The sector filter's value stays the uploaded text; its label is translated.
                "sectors": [(s, sector_label(s)) for s in sectors],
                "withheld": withheld,
                "next": publication.next_year_status(covenant, listing.state),
            },
        )

    body = cached(key, render_body)
    return render(
        request,
        "supplychain/public.html",
        {"covenant": covenant, "year": year, "body": mark_safe(body)},  # rendered, escaped
    )


def public_map(request: HttpRequest, slug: str) -> HttpResponse:
    """The covenant's public locations on a map (SVG drawn here, no tiles, no
    scripts), with the table by country as its accessible alternative."""
    covenant = get_object_or_404(covenants_visible_to(request.user), slug=slug)
    listing = public.listing(covenant, request.GET.get("year"))
    years, year = listing.state.years, listing.year

    def render_body() -> dict[str, Any]:
        shown, other = listing.countries()
        k = listing.state.min_members
        title = (
            _("Production locations %(year)s by country") % {"year": year}
            if year
            else _("Production locations by country")
        )
        svg, legend = world_map.render(
            [(c.code, c.locations) for c in shown], listing.points(shown), title
        )
        return {
            "svg": svg,
            "legend": world_map.legend_labels(legend),
            "rows": [(display_name(c.code), c.locations) for c in shown],
            "other": other,
            "k": k,
            "total": sum(c.locations for c in shown) + other,
        }

    body = cached(publication.public_cache_key(covenant, year, "map"), render_body)
    return render(
        request,
        "supplychain/public_map.html",
        {
            "covenant": covenant,
            "year": year,
            "years": years,
            **body,
            "svg": mark_safe(body["svg"]),  # built from escaped names and numbers
        },
    )


@login_required
def publication_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat publishes a year's list (once K members disclosed) or withdraws it."""
    covenant = get_object_or_404(Covenant, slug=slug)
    if not (roles.is_platform_admin(request.user) or roles.is_secretariat(request.user, covenant)):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        year = whole_number(request.POST.get("year"), max_digits=4)
        try:
            if action == "min_members":
                value = whole_number(request.POST.get("min_members"))
                if value is None:
                    raise DomainError(_("Enter a whole number."))
                publication.set_min_members(request.user, covenant, value)
            elif action in ("publish", "withdraw") and year is not None:
                if action == "publish":
                    published = publication.publish_year(request.user, covenant, year)
                    messages.success(request, _("The list for %(y)s is public.") % {"y": year})
                    if published.waiting:
                        messages.info(
                            request,
                            ngettext(
                                "The change of %(n)s member waits until %(k)s members have changed theirs.",
                                "The changes of %(n)s members wait until %(k)s members have changed theirs.",
                                published.waiting,
                            )
                            % {
                                "n": published.waiting,
                                "k": publication.policy_for(covenant).min_members,
                            },
                        )
                elif publication.withdraw_year(request.user, covenant, year):
                    messages.success(
                        request, _("The list for %(y)s is no longer public.") % {"y": year}
                    )
                else:
                    messages.info(request, _("The list for %(y)s was not public.") % {"y": year})
            else:
                raise DomainError(_("Unknown action."))
        except DomainError as e:
            messages.error(request, str(e))
        return redirect("supplychain:publication", slug=covenant.slug)
    return render(
        request,
        "supplychain/publication.html",
        {
            "covenant": covenant,
            "statuses": publication.year_statuses(covenant),
            "policy": publication.policy_for(covenant),
        },
    )
