"""Pages of the complaints mechanism. Thin: parse, call services, render.

Public pages (no account): the form, the follow page, the figures and the
published outcomes. They work without JavaScript and send no-store so a
shared phone's browser does not keep a receipt code or a complaint.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from imvo.complaints import limits
from imvo.complaints.forms import ComplaintForm, OnBehalfForm, form_cache_version, read_uploads
from imvo.complaints.grants import grant_lines
from imvo.complaints.models import (
    ClosureGround,
    CommitteeMembership,
    Complaint,
    InadmissibleGround,
    Publication,
    State,
)
from imvo.complaints.services import (
    access,
    aftercare,
    answers,
    deadlines,
    filing,
    following,
    forwarding,
    on_behalf,
    people,
    publication,
    respondents,
    workflow,
)
from imvo.complaints.services import register as case_register
from imvo.complaints.services import translation as case_translation
from imvo.complaints.services.access import CaseNotFoundError
from imvo.complaints.services.committee import (
    check_appoint_substitute,
    check_declare_seat,
    check_recuse,
    committee_of,
    quorum_shortfall,
)
from imvo.complaints.services.figures import figure_years, figures_of_years
from imvo.core.cache import cached
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.exports import table_response
from imvo.core.ratelimit import RateLimitedError, with_retry_after
from imvo.core.text import whole_number
from imvo.covenants.models import Covenant

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def client_of(request: HttpRequest) -> str:
    return limits.client_key(limits.client_address(request.META))


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    """403 with the reason, on a page of its own."""
    return HttpResponseForbidden(
        render(request, "complaints/refused.html", {"message": message}).content
    )


def _initial_from(data: Any) -> dict[str, Any]:
    """Keep what was typed (for a re-render without error messages)."""
    initial: dict[str, Any] = {}
    for key in data:
        if key in ("csrfmiddlewaretoken", "action", "form_language"):
            continue
        initial[key] = data.getlist(key) if key == "topics" else data.get(key)
    for key in ("anonymous", "share_identity_with_company"):
        initial[key] = key in data
    return initial


def _language_switch(request: HttpRequest) -> str | None:
    lang = request.POST.get("form_language", "")
    if lang in LANGUAGE_CODES:
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        return lang
    return None


def _set_language_cookie(response: HttpResponse, lang: str | None) -> None:
    if lang:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            lang,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "submit") if request.method == "POST" else ""
    lang = None
    facilities: list[dict[str, Any]] = []
    covenant = None
    error = ""
    refused: RateLimitedError | None = None
    if request.method == "POST":
        slug = request.POST.get("covenant", "")
        # No slug holds NUL (PostgreSQL refuses it in a query: a server error).
        covenant = None if "\x00" in slug else Covenant.objects.filter(slug=slug).first()
        facilities = filing.search_locations(request.POST.get("location_query", ""), covenant)
    if action == "language":
        lang = _language_switch(request)
    if action == "submit":
        form = ComplaintForm(request.POST, request.FILES, facilities=facilities)
        if form.is_valid():
            d = form.cleaned_data
            facility = next((f for f in facilities if str(f["id"]) == d["facility"]), None)
            respondent = (
                filing.members_of().filter(pk=d["respondent"]).first() if d["respondent"] else None
            )
            try:
                filed = filing.check_file_complaint(
                    filing.NewComplaint(
                        covenant=filing.find_covenant(d["covenant"]),
                        respondent=respondent,
                        facility=facility,
                        files=d["evidence"],
                        **form.filing_arguments(),
                        language=translation.get_language() or "en",
                    ),
                    client=client_of(request),
                )
            except DomainError as e:
                error = str(e)
                refused = e if isinstance(e, RateLimitedError) else None
            else:
                proc = filed.complaint.procedure()
                filed_on = timezone.localtime(filed.complaint.filed_at).date()
                ctx = {
                    "receipt": filed.receipt,
                    "c": filed.complaint,
                    "acknowledge_by": filed.complaint.due,
                    "admissibility_by": filed_on + timedelta(days=proc.admissibility_days),
                    "refused": filed.refused,
                }
                return _private(render(request, "complaints/done.html", ctx, status=201))
    else:
        initial = _initial_from(request.POST) if request.method == "POST" else {}
        if request.method == "GET" and request.GET.get("covenant"):
            initial["covenant"] = request.GET["covenant"]
        initial.setdefault("anonymous", True)
        form = ComplaintForm(initial=initial, facilities=facilities)
    ctx = {
        "form": form,
        "error": error,
        "form_languages": settings.LANGUAGES,
        "searched": action == "search",
        "facilities": facilities,
    }

    # The blank form (every first visit) is the same for everyone in a language:
    # its rendered fields are cached (rendering them was most of the page's time).
    def render_fields() -> str:
        return render_to_string("complaints/_form_fields.html", ctx)

    if request.method == "GET":
        chosen = form.initial.get("covenant", "") if form.covenant_chosen else ""
        fields = cached(f"complaints:blank-form:{form_cache_version()}:{chosen}", render_fields)
    else:
        fields = render_fields()
    ctx["fields"] = mark_safe(fields)  # rendered by the template engine, escaped there
    if refused is not None:  # too many filings from this connection: say when to come back
        response = with_retry_after(
            _private(render(request, "complaints/new.html", ctx, status=429)), refused
        )
    else:
        response = _private(
            render(request, "complaints/new.html", ctx, status=400 if error else 200)
        )
    _set_language_cookie(response, lang)
    return response


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    ctx: dict[str, Any] = {}
    status = 200
    refused: RateLimitedError | None = None
    if request.method == "POST":
        code = request.POST.get("receipt", "")
        try:
            c = following.complaint_by_receipt(code, client=client_of(request))
            if request.POST.get("action") == "reply":
                try:
                    files = read_uploads(request.FILES.getlist("evidence"))
                    ctx["refused"] = following.check_complainant_reply(
                        c,
                        request.POST.get("message", ""),
                        files,
                        appeal=bool(request.POST.get("appeal")),
                        withdraw=bool(request.POST.get("withdraw")),
                    )
                    ctx["sent"] = True
                except DomainError as e:
                    ctx["reply_error"] = str(e)
                    ctx["message"] = request.POST.get("message", "")
                    status = 400
            elif request.POST.get("action") == "after_closure":
                try:
                    aftercare.check_answer(
                        c,
                        request.POST.get("remedy", ""),
                        request.POST.get("retaliation", ""),
                        request.POST.get("comment", ""),
                    )
                    ctx["after_sent"] = True
                except DomainError as e:
                    ctx["after_error"], status = str(e), 400
            ctx["case"] = following.complainant_view(c)
            ctx["receipt"] = code
        except limits.RateLimitedError as e:
            ctx["error"], ctx["typed"], status, refused = str(e), code, 429, e
        except DomainError as e:
            # The code comes back as typed (the page is never cached): one slip in a
            # long code is corrected, not typed again.
            ctx["error"], ctx["typed"], status = str(e), code, 404
    response = _private(render(request, "complaints/follow.html", ctx, status=status))
    return with_retry_after(response, refused) if refused else response


def figures(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """UNGP 31 figures per covenant and year (public aggregates)."""
    covenants = filing.open_covenants()
    covenant = (
        get_object_or_404(Covenant, slug=slug)
        if slug
        else covenants.filter(slug="garment-textile").first() or covenants.first()
    )
    rows = []
    if covenant:
        rows = list(figures_of_years(covenant, figure_years(covenant)[:5]).values())
    return render(
        request,
        "complaints/figures.html",
        {"covenant": covenant, "covenants": covenants, "rows": rows},
    )


def register(request: HttpRequest, slug: str) -> HttpResponse:
    """The public case register of one covenant (services/register.py), as a page,
    CSV or JSON."""
    covenant = get_object_or_404(filing.open_covenants(), slug=slug)
    rows = case_register.register_rows(covenant)
    fmt = request.GET.get("format")
    if fmt in ("csv", "json"):
        keys = [k for k, _label in case_register.COLUMNS]
        return table_response(
            fmt,
            f"complaints-register-{covenant.slug}",
            keys,
            [[r[k] for k in keys] for r in rows],
            {"covenant": covenant.slug},
        )
    columns = [(k, str(label)) for k, label in case_register.COLUMNS]
    return render(
        request,
        "complaints/register.html",
        {
            "covenant": covenant,
            "columns": columns,
            "rows": [[r[k] for k, _l in columns] for r in rows],
        },
    )


def outcomes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "complaints/outcomes.html",
        {"publications": publication.published_outcomes()[:100]},
    )


# --- signed-in pages ----------------------------------------------------------------


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The case list, narrowed by topic (theme), country, state and text."""
    qs = access.complaints_visible_to(request.user)
    f = access.CaseFilter.from_query(request.GET)
    rows = access.filter_cases(request.user, qs, f)
    for row in rows:
        row["role_label"] = role_label(row["role"])
    return render(
        request,
        "complaints/cases.html",
        {
            "rows": rows,
            "states": State.choices,
            "f": f,
            "themes": access.theme_choices(qs),
            "countries": access.country_choices(qs),
        },
    )


def role_label(role: str | None) -> str:
    return {
        "committee": _("Complaints committee"),
        "secretariat": _("Secretariat"),
        "company": _("Company"),
    }.get(role or "", "")


CASE_ACTIONS = {
    "move",
    "message",
    "share",
    "recuse",
    "forward",
    "assign",
    "draft",
    "publish",
    "substitute",
    "request_translation",
    "revoke_translator",
    "translate",
    "follow_up",
    "filer_message",
    "name_respondent",
    "answer",
}


def _account_by_id(pk: str | None) -> Any:
    """The account chosen in a form's list (None if there is none such)."""
    return get_user_model().objects.filter(pk=pk or 0).first()


@login_required
@require_http_methods(["GET", "POST"])
def case(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        c, role = access.get_case(request.user, ref, log=request.method == "GET")
    except CaseNotFoundError as e:
        raise Http404(str(e)) from e
    except PermissionDeniedError as e:
        return _refused(request, str(e))
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        p = request.POST
        try:
            if action not in CASE_ACTIONS:
                raise DomainError(_("Unknown action."))
            if action == "move":
                to_state = p.get("to_state", "")
                record = workflow.StepRecord(
                    ground=p.get(
                        "inadmissible_ground" if to_state == State.INADMISSIBLE else "ground", ""
                    ),
                    note=p.get("note", ""),
                    decision_text=p.get("decision", ""),
                    settlement_terms=p.get("settlement", ""),
                    remedy_agreed=True if p.get("remedy_agreed") else None,
                    remedy_carried_out={"yes": True, "no": False}.get(
                        p.get("remedy_carried_out", "")
                    ),
                )
                workflow.check_move(request.user, c, to_state, p.get("reason", ""), record)
                messages.success(
                    request,
                    _("Recorded: the case is now “%(state)s”.") % {"state": State(to_state).label},
                )
            elif action == "message":
                workflow.check_post_message(
                    request.user,
                    c,
                    p.get("body", ""),
                    bool(p.get("to_complainant")),
                    bool(p.get("to_company")),
                )
            elif action == "share":
                ids = [n for x in p.getlist("evidence") if (n := whole_number(x)) is not None]
                workflow.check_share_with_company(request.user, c, p.get("summary", ""), ids)
            elif action == "recuse":
                member = _account_by_id(p.get("member"))
                if member is None:
                    raise DomainError(_("Choose a committee member."))
                check_recuse(request.user, c, member, p.get("reason", ""))
            elif action == "substitute":
                member = people.chosen(
                    people.substitute_choices(request.user, c), p.get("substitute")
                )
                check_appoint_substitute(request.user, c, member, p.get("reason", ""))
            elif action == "request_translation":
                translator = people.chosen(
                    people.translator_choices(request.user, c), p.get("translator")
                )
                case_translation.check_request_translation(
                    request.user, c, translator, p.get("language", "")
                )
            elif action == "revoke_translator":
                translator = _account_by_id(p.get("translator"))
                case_translation.check_revoke_translator(request.user, c, translator)
            elif action == "translate":
                mid = p.get("message", "")
                case_translation.check_add_translation(
                    request.user, c, whole_number(mid), p.get("text", "")
                )
            elif action == "answer":
                files = read_uploads(request.FILES.getlist("files"))
                answers.check_company_answer(request.user, c, p.get("body", ""), files)
                messages.success(request, _("Your answer was sent to the committee."))
            elif action == "filer_message":
                on_behalf.check_filer_message(request.user, c, p.get("body", ""))
            elif action == "follow_up":
                cid = p.get("check", "")
                aftercare.check_record_follow_up(
                    request.user, c, whole_number(cid) or 0, p.get("note", "")
                )
            elif action == "name_respondent":
                ids = [n for x in p.getlist("organisation") if (n := whole_number(x)) is not None]
                named = respondents.check_name_respondents(
                    request.user, c, ids, p.get("reason", "")
                )
                messages.success(
                    request,
                    _("Named as respondent: %(names)s.")
                    % {"names": ", ".join(n.organisation.name for n in named)},
                )
            elif action == "forward":
                n = forwarding.check_forward_to_linked_members(request.user, c)
                messages.success(request, _("Forwarded to %(n)d linked member(s).") % {"n": n})
            elif action == "assign":
                officer = _account_by_id(p.get("officer"))
                workflow.check_assign_officer(request.user, c, officer)
            elif action == "draft":
                publication.check_draft_publication(
                    request.user, c, p.get("title", ""), p.get("text", "")
                )
            elif action == "publish":
                pub = get_object_or_404(Publication, complaint=c)
                publication.check_publish(request.user, pub)
        except CaseNotFoundError as e:
            raise Http404(str(e)) from e
        except DomainError as e:
            error = str(e)
        else:
            return redirect("complaints:case", ref=c.reference)
        c.refresh_from_db()
    view = workflow.case_view(request.user, c, role)
    ctx: dict[str, Any] = {**view, "error": error, "states": State}
    if error:
        # A refused step or message comes back as it was typed: a decision written
        # out at length is not lost for a forgotten ground.
        if action == "move":
            ctx["kept"] = request.POST
        elif action in ("message", "filer_message", "answer"):
            ctx["kept_message"] = request.POST
        elif action == "name_respondent":
            ctx["kept_naming"] = {
                "reason": request.POST.get("reason", ""),
                "organisations": request.POST.getlist("organisation"),
            }
    if role in ("committee", "secretariat"):
        ctx["closure_grounds"] = ClosureGround.choices
        ctx["inadmissible_grounds"] = InadmissibleGround.choices
        ctx["quorum_shortfall"] = quorum_shortfall(c)
        ctx["complainant_language"] = dict(settings.LANGUAGES).get(c.language, c.language)
        ctx["next_states"] = [(s, State(s).label) for s in c.next_states]
        ctx["committee"] = committee_of(c.covenant)
        ctx["substitutes"] = list(c.substitutes.select_related("user"))
        ctx["after_checks"] = list(c.after_closure_checks.all())
        ctx["can_appoint"] = role == "secretariat"
        if ctx["can_appoint"]:
            ctx["substitute_choices"] = people.labelled(people.substitute_choices(request.user, c))
        ctx["translator_choices"] = people.labelled(people.translator_choices(request.user, c))
        ctx["translation_languages"] = settings.LANGUAGES
        ctx["officers"] = get_user_model().objects.filter(
            covenant_roles__covenant=c.covenant, covenant_roles__role="secretariat"
        )
        ctx["publication"] = Publication.objects.filter(complaint=c).first()
        ctx["namings"] = respondents.namings_of(c)
        if respondents.can_name(c):
            ctx["nameable"] = list(respondents.nameable_members(c).values_list("pk", "name"))
    template = {
        "company": "complaints/case_company.html",
        "translator": "complaints/case_translator.html",
        "filer": "complaints/case_filer.html",
    }.get(role, "complaints/case.html")
    return _private(render(request, template, ctx, status=400 if error else 200))


@login_required
@require_http_methods(["GET", "POST"])
def file_on_behalf(request: HttpRequest) -> HttpResponse:
    """A union or NGO files a complaint for workers, with their consent recorded."""
    org = on_behalf.filing_organisation(request.user)
    if org is None:
        return _refused(request, str(on_behalf.ONLY_UNIONS_AND_NGOS))
    error = ""
    if request.method == "POST":
        form = OnBehalfForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                covenant = filing.find_covenant(d["covenant"])
                respondent = (
                    filing.members_of(covenant).filter(pk=d["respondent"]).first()
                    if d["respondent"]
                    else None
                )
                filed = on_behalf.check_file_on_behalf(
                    request.user,
                    covenant=covenant,
                    respondent=respondent,
                    files=d["evidence"],
                    **form.filing_arguments(),
                )
            except DomainError as e:
                error = str(e)
            else:
                ctx = {"receipt": filed.receipt, "c": filed.complaint, "refused": filed.refused}
                return _private(render(request, "complaints/on_behalf_done.html", ctx, status=201))
    else:
        form = OnBehalfForm(initial={"language": translation.get_language() or "en"})
    return _private(
        render(
            request,
            "complaints/on_behalf.html",
            {"form": form, "org": org, "error": error},
            status=400 if error or form.errors else 200,
        )
    )


EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@login_required
def evidence(request: HttpRequest, ref: str, eid: int) -> HttpResponse:
    """The safe copy of an evidence file; ``?original=1`` gives the committee
    side the file as received (always as an opaque download)."""
    original = request.GET.get("original") == "1"
    try:
        c, role = access.get_case(request.user, ref, log=False)
        ev, data = workflow.evidence_for(request.user, c, role, eid, original=original)
    except CaseNotFoundError as e:
        raise Http404(str(e)) from e
    except PermissionDeniedError:
        return HttpResponseForbidden()
    if original:
        response = HttpResponse(data, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="evidence-{ev.pk}-original.bin"'
    else:
        response = HttpResponse(data, content_type=ev.content_type)
        ext = EXTENSIONS.get(ev.content_type, ".bin")
        response["Content-Disposition"] = f'attachment; filename="evidence-{ev.pk}{ext}"'
    return _private(response)


def _download(ev: Any, data: bytes, stem: str) -> HttpResponse:
    """A safe copy as an attachment named by `stem` and its type, never stored."""
    response = HttpResponse(data, content_type=ev.content_type)
    ext = EXTENSIONS.get(ev.content_type, ".bin")
    response["Content-Disposition"] = f'attachment; filename="{stem}{ext}"'
    return _private(response)


def _case_file(request: HttpRequest, ref: str, read: Any, stem: str) -> HttpResponse:
    """One file of a case the user may open: `read(c, role)` gives it or refuses."""
    try:
        c, role = access.get_case(request.user, ref, log=False)
        ev, data = read(c, role)
    except CaseNotFoundError as e:
        raise Http404(str(e)) from e
    except PermissionDeniedError:
        return HttpResponseForbidden()
    return _download(ev, data, stem.format(id=ev.pk))


@login_required
def shared_file(request: HttpRequest, ref: str, number: int) -> HttpResponse:
    """The company's `number`-th file the committee shared with it (its safe copy),
    addressed by that number, never by its id (workflow.shared_file_for)."""

    def read(c: Complaint, role: str) -> Any:
        return workflow.shared_file_for(request.user, c, role, number)

    return _case_file(request, ref, read, f"shared-file-{number}")


@login_required
def answer_file(request: HttpRequest, ref: str, number: int) -> HttpResponse:
    """A file a respondent company attached to its answer (services/answers.py):
    for the committee side, and for the company that sent it; addressed by its
    number in the list the asker sees, never by its id."""

    def read(c: Complaint, role: str) -> Any:
        return answers.answer_file_for(request.user, c, role, number)

    return _case_file(request, ref, read, f"answer-{number}")


@require_http_methods(["POST"])
def follow_file(request: HttpRequest) -> HttpResponse:
    """One of the files the complainant sent, for whoever holds the receipt code
    (posted from the follow page, never in an address: the follow page is the
    complainant's only session). Its safe copy, as an opaque download."""
    code = request.POST.get("receipt", "")
    try:
        c = following.complaint_by_receipt(code, client=client_of(request))
        number = whole_number(request.POST.get("file", "")) or 0
        ev, data = following.complainant_file(c, number)
    except limits.RateLimitedError as e:
        refusal = HttpResponse(str(e), status=429, content_type="text/plain")
        return _private(with_retry_after(refusal, e))
    except DomainError as e:
        raise Http404(str(e)) from e
    return _download(ev, data, f"my-file-{number}")


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    """Cases over their time limit, for the committee and the secretariat."""
    rows = list(deadlines.overdue_cases(request.user))
    today = timezone.localdate()
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx", "json"):
        header = ["reference", "covenant", "state", "due", "days_over"]
        data = [
            [
                c.reference,
                c.covenant.slug,
                c.state,
                c.due.isoformat() if c.due else "",
                (today - c.due).days if c.due else "",
            ]
            for c in rows
        ]
        return table_response(
            fmt, "overdue-complaints", header, data, {"generated": today.isoformat()}
        )
    return render(
        request,
        "complaints/overdue.html",
        {"rows": [(c, (today - c.due).days if c.due else 0) for c in rows]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def committee(request: HttpRequest, slug: str) -> HttpResponse:
    """The committee of one covenant with declared seats (secretariat and members)."""
    from imvo.accounts.services import committee_covenant_ids, managed_covenant_ids

    covenant = get_object_or_404(Covenant, slug=slug)
    if covenant.pk not in managed_covenant_ids(request.user) | committee_covenant_ids(request.user):
        raise Http404
    error = ""
    if request.method == "POST" and request.POST.get("action") == "limits":
        try:
            deadlines.check_set_time_limits(request.user, covenant, request.POST)
            return redirect("complaints:committee", slug=slug)
        except DomainError as e:
            error = str(e)
    elif request.method == "POST":
        member = _account_by_id(request.POST.get("member"))
        try:
            if member is None or request.POST.get("seat") not in CommitteeMembership.Seat.values:
                raise DomainError(_("Choose a member and a seat."))
            check_declare_seat(
                request.user,
                covenant,
                member,
                request.POST["seat"],
                request.POST.get("interests", ""),
            )
            return redirect("complaints:committee", slug=slug)
        except DomainError as e:
            error = str(e)
    procedure = deadlines.procedure_for(covenant)
    return render(
        request,
        "complaints/committee.html",
        {
            "covenant": covenant,
            "members": committee_of(covenant),
            "seats": CommitteeMembership.Seat.choices,
            "error": error,
            "limit_fields": [
                (f, deadlines.limit_label(f), getattr(procedure, f)) for f in deadlines.LIMIT_FIELDS
            ],
            "can_set_limits": covenant.pk in managed_covenant_ids(request.user),
            "grants": grant_lines(covenant.pk),
        },
    )


__all__ = ["Complaint"]
