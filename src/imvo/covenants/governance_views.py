"""Governance pages: the public governance page, meetings and decisions; the
secretariat's pages to set up bodies and seats, run meetings and record decisions."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imvo.core.errors import DomainError
from imvo.covenants import governance_forms as gforms
from imvo.covenants import services
from imvo.covenants.models import Covenant, Decision, GovernanceBody, Meeting, Seat
from imvo.covenants.pages import form_page
from imvo.covenants.seams import secretariat_page
from imvo.covenants.services import governance


def governance_page(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = get_object_or_404(services.covenants_visible_to(request.user), slug=slug)
    aud = governance.audience(request.user, covenant)
    return render(
        request,
        "covenants/governance.html",
        {
            "covenant": covenant,
            "bodies": governance.bodies_with_verdicts(covenant),
            "decisions": governance.decisions_visible_to(request.user, covenant),
            "meetings": governance.meetings_visible_to(request.user, covenant),
            "public_minutes": [] if aud.inside else _public_minutes(covenant),
            "audience": aud,
        },
    )


def _public_minutes(covenant: Covenant) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            body__covenant=covenant, minutes_visibility="public", status=Meeting.Status.HELD
        ).select_related("body")
    )


def meeting_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    covenant = get_object_or_404(Covenant, slug=slug)
    aud = governance.audience(request.user, covenant)
    meeting = get_object_or_404(
        Meeting.objects.select_related("body"), pk=pk, body__covenant=covenant
    )
    public_minutes = meeting.minutes_visibility == "public" and meeting.status == "held"
    agenda = [
        (item, aud.may_read(item.paper_visibility, meeting.body_id))
        for item in meeting.agenda.all()
    ]
    # The public reads a meeting only for what it published: public minutes or papers.
    public_papers = [(item, True) for item, _ok in agenda if item.paper_visibility == "public"]
    if not (aud.inside or public_minutes or public_papers):
        raise Http404
    return render(
        request,
        "covenants/meeting.html",
        {
            "covenant": covenant,
            "meeting": meeting,
            "agenda": agenda if aud.inside else public_papers,
            "minutes_readable": aud.may_read(meeting.minutes_visibility, meeting.body_id),
            "decisions": governance.decisions_visible_to(request.user, covenant).filter(
                meeting=meeting
            ),
            "can_manage": aud.secretariat,
        },
    )


def paper_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """A meeting paper as a download, for whom its visibility names (else 404)."""
    covenant = get_object_or_404(Covenant, slug=slug)
    item = governance.readable_paper(request.user, covenant, pk)
    if item is None:
        raise Http404
    # Always a download with the type checked on upload: never rendered in our origin.
    return FileResponse(
        item.paper_file.open("rb"),
        as_attachment=True,
        filename=item.paper_file_name,
        content_type=item.paper_content_type,
    )


def decision_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    covenant = get_object_or_404(Covenant, slug=slug)
    decision = get_object_or_404(governance.decisions_visible_to(request.user, covenant), pk=pk)
    return render(request, "covenants/decision.html", {"covenant": covenant, "decision": decision})


# --- the secretariat -------------------------------------------------------------------


@secretariat_page
def manage_governance(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    return render(
        request,
        "covenants/manage_governance.html",
        {
            "covenant": covenant,
            "bodies": governance.bodies_with_verdicts(covenant),
            "meetings": Meeting.objects.filter(body__covenant=covenant).select_related("body"),
            "decisions": Decision.objects.filter(covenant=covenant).select_related("body"),
        },
    )


# A governance form: on its own template, and back to the governance page when done.
_governance_form_page = partial(
    form_page, template="covenants/governance_form.html", done="covenants:manage_governance"
)


@secretariat_page
def body_add(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    form = gforms.BodyForm(request.POST or None)
    return _governance_form_page(
        request,
        covenant,
        form,
        lambda: governance.check_create_body(request.user, covenant, **form.cleaned_data),
        title=_("New governance body"),
        message=_("Body created; now give it its seats."),
    )


@secretariat_page
def seat_add(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, pk=pk, covenant=covenant)
    form = gforms.SeatForm(request.POST or None, covenant=covenant)
    return _governance_form_page(
        request,
        covenant,
        form,
        lambda: governance.check_add_seat(request.user, body, **form.cleaned_data),
        title=_("New seat: %(body)s") % {"body": body.name},
        message=_("Seat added."),
    )


@secretariat_page
@require_POST
def seat_remove(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    seat = get_object_or_404(Seat, pk=pk, body__covenant=covenant)
    governance.check_remove_seat(request.user, seat)
    messages.success(request, _("Seat removed."))
    return redirect("covenants:manage_governance", slug=covenant.slug)


@secretariat_page
def meeting_add(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, pk=pk, covenant=covenant)
    form = gforms.MeetingForm(request.POST or None)
    return _governance_form_page(
        request,
        covenant,
        form,
        lambda: governance.check_schedule_meeting(
            request.user, body, form.cleaned_data["date"], form.cleaned_data["location"]
        ),
        title=_("New meeting: %(body)s") % {"body": body.name},
        message=_("Meeting scheduled; now set its agenda."),
        done=lambda meeting: redirect(
            "covenants:meeting_manage", slug=covenant.slug, pk=meeting.pk
        ),
    )


@secretariat_page
def meeting_manage(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("body"), pk=pk, body__covenant=covenant
    )
    item_form = gforms.AgendaItemForm(prefix="item")
    minutes_form = gforms.MinutesForm(
        prefix="minutes",
        initial={
            "minutes_nl": meeting.minutes_nl,
            "minutes_en": meeting.minutes_en,
            "visibility": meeting.minutes_visibility,
        },
    )
    if request.method == "POST":
        try:
            if "item-title_en" in request.POST:
                item_form = gforms.AgendaItemForm(request.POST, request.FILES, prefix="item")
                if item_form.is_valid():
                    data = dict(item_form.cleaned_data)
                    upload = data.pop("paper_file")
                    governance.check_add_agenda_item(
                        request.user,
                        meeting,
                        **data,
                        paper_upload=(upload.name, upload.read()) if upload else None,
                    )
                    messages.success(request, _("Agenda item added."))
                    return redirect("covenants:meeting_manage", slug=covenant.slug, pk=pk)
            else:
                minutes_form = gforms.MinutesForm(request.POST, prefix="minutes")
                if minutes_form.is_valid():
                    governance.check_record_minutes(
                        request.user, meeting, **minutes_form.cleaned_data
                    )
                    messages.success(request, _("Minutes recorded; the meeting is marked held."))
                    return redirect("covenants:meeting_manage", slug=covenant.slug, pk=pk)
        except DomainError as e:
            messages.error(request, str(e))
    return render(
        request,
        "covenants/meeting_manage.html",
        {
            "covenant": covenant,
            "meeting": meeting,
            "item_form": item_form,
            "minutes_form": minutes_form,
        },
    )


@secretariat_page
def decision_add(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    body = get_object_or_404(GovernanceBody, pk=pk, covenant=covenant)
    form = gforms.DecisionForm(
        request.POST or None, body=body, initial={"meeting": request.GET.get("meeting")}
    )

    def record() -> Decision:
        # The form's fields are the service's arguments; only its date is called `on`.
        data = dict(form.cleaned_data)
        return governance.check_record_decision(request.user, body, on=data.pop("date"), **data)

    return _governance_form_page(
        request,
        covenant,
        form,
        record,
        title=_("Record a decision: %(body)s") % {"body": body.name},
        message=lambda decision: _("Decision %(number)s recorded.") % {"number": decision.number},
    )
