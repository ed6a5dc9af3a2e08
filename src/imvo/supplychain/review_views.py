"""Review pages: the matches that wait for a person, side by side with their
candidate facilities and the reasons; one match's "Why"; and the decision
(accept a candidate, reject them all, or declare a new facility). Thin: scope
and layout come from `review.py`, the decision from `services.decide_match`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.text import whole_number
from imvo.supplychain import explain, review, services
from imvo.supplychain.models import SupplierList

PER_PAGE = 20


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Every match the user may review, across their current lists."""
    return _queue(request, None)


@login_required
def list_queue(request: HttpRequest, pk: int) -> HttpResponse:
    """The matches of one supplier list that need a decision."""
    # Another company's list is a 404: do not confirm that it exists.
    sl = get_object_or_404(services.lists_visible_to(request.user), pk=pk)
    return _queue(request, sl)


def _queue(request: HttpRequest, sl: SupplierList | None) -> HttpResponse:
    page = Paginator(review.pending_for(request.user, sl), PER_PAGE).get_page(
        request.GET.get("page")
    )
    items = review.review_items(request.user, list(page.object_list))
    return render(
        request,
        "supplychain/review/queue.html",
        {"sl": sl, "page": page, "items": items, "here": request.get_full_path()},
    )


@login_required
def why(request: HttpRequest, pk: int) -> HttpResponse:
    """Why a row was matched (or not): the facility and every candidate shown, explained."""
    match = get_object_or_404(
        review.matches_visible_to(request.user).select_related(
            "row__supplier_list__organisation", "row__supplier_list__covenant", "facility"
        ),
        pk=pk,
    )
    item = review.review_items(request.user, [match])[0]
    linked = explain.explain(match) if match.links else None
    decision, turned_down = review.turned_down(match)
    return render(
        request,
        "supplychain/review/why.html",
        {
            "match": match,
            "item": item,
            "linked": linked,
            "decision": decision,
            "turned_down": turned_down,
            "sl": match.row.supplier_list,
            "here": request.get_full_path(),
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(
        review.matches_visible_to(request.user).select_related("row__supplier_list"), pk=pk
    )
    facility = request.POST.get("facility", "")
    try:
        services.decide_match(
            request.user,
            match,
            request.POST.get("action", ""),
            whole_number(facility, max_digits=11),
        )
    except PermissionDeniedError as e:
        # The secretariat sees the matches; the member decides them.
        return render(
            request,
            "supplychain/refused.html",
            {"reason": str(e), "title": _("Supplier list"), "sl": match.row.supplier_list},
            status=403,
        )
    except DomainError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Decision saved for row %(n)s.") % {"n": match.row.number})
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("supplychain:pending", pk=match.row.supplier_list_id)
