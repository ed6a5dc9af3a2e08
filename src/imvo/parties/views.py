"""Thin pages of the union and NGO workspace: signals and production locations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.forms import submit
from imvo.covenants.models import Covenant
from imvo.parties.forms import CloseForm, ResponseForm, SignalForm
from imvo.parties.models import Signal
from imvo.parties.services import locations as location_services
from imvo.parties.services import signals as signal_services
from imvo.parties.services.access import civil_society_party, may_use_tools


def _covenant_for_tools(request: HttpRequest, slug: str) -> Covenant:
    covenant = get_object_or_404(Covenant, slug=slug)
    if not may_use_tools(request.user, covenant):
        raise Http404
    return covenant


@login_required
def signals(request: HttpRequest) -> HttpResponse:
    """The signals the user's organisation raised or was reached by (or the secretariat's)."""
    items = (
        Signal.objects.visible_to(request.user)
        .select_related("covenant", "theme")
        .prefetch_related("forwardings", "responses")
    )
    rows = [(s, *signal_services.list_figures(request.user, s)) for s in items]
    # The parties' workspace belongs to an organisation; the secretariat has none.
    in_workspace = roles.organisation_id(request.user) is not None
    return render(request, "parties/signals.html", {"rows": rows, "in_workspace": in_workspace})


@login_required
def signal_new(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = _covenant_for_tools(request, slug)
    if civil_society_party(request.user, covenant) is None:
        raise Http404  # the secretariat follows signals; unions and NGOs raise them
    query = request.GET.get("q", "").strip()
    found = signal_services.public_locations(covenant, query)
    form = SignalForm(request.POST or None, covenant=covenant)

    def raise_signal() -> Signal:
        data = form.cleaned_data
        return signal_services.check_raise_signal(
            request.user,
            covenant,
            data["title"],
            data["description"],
            facility_id=data["facility_id"],
            search=data["search"] or "",
            location=data["location"] or "",
            country=data["country"] or "",
            theme=data["theme"],
        )

    if done := submit(request, form, raise_signal):
        messages.success(request, _("Signal recorded and passed on."))
        return redirect("parties:signal", pk=done.result.pk)
    return render(
        request,
        "parties/signal_new.html",
        {"covenant": covenant, "form": form, "query": query, "found": found},
    )


@login_required
def signal(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Signal.objects.visible_to(request.user).select_related("covenant", "raised_by", "theme"),
        pk=pk,
    )
    role = signal_services.role_in(request.user, item)
    if not role:
        raise Http404
    respond = ResponseForm(request.POST or None, prefix="respond")
    close = CloseForm(request.POST or None, prefix="close")
    if request.method == "POST":
        try:
            if "respond-text" in request.POST and respond.is_valid():
                signal_services.check_respond(request.user, item, respond.cleaned_data["text"])
                messages.success(request, _("Your answer is recorded."))
                return redirect("parties:signal", pk=pk)
            if "close-note" in request.POST and close.is_valid():
                signal_services.check_close(request.user, item, close.cleaned_data["note"])
                messages.success(request, _("Signal closed."))
                return redirect("parties:signal", pk=pk)
        except PermissionDeniedError as e:
            raise Http404 from e
        except DomainError as e:
            messages.error(request, str(e))
    context = {
        "signal": item,
        "role": role,
        "respond": respond,
        "close": close,
        "view": signal_services.union_view(item, role),
    }
    if role == "secretariat":
        context["forwardings"] = item.forwardings.select_related("organisation")
        context["responses"] = item.responses.select_related("organisation")
    elif role == "member":
        context["responses"] = item.responses.filter(
            organisation_id=roles.organisation_id(request.user) or 0
        )
    return render(request, "parties/signal.html", context)


@login_required
def locations(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = _covenant_for_tools(request, slug)
    overview = location_services.location_overview(request.user, covenant)
    return render(request, "parties/locations.html", {"covenant": covenant, "o": overview})
