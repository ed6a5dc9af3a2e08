"""A party's own workspace and the obstacles register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from imvo.core.forms import submit
from imvo.covenants import governance_forms as gforms
from imvo.covenants.models import Agreement, Obstacle
from imvo.covenants.pages import inside_covenant
from imvo.covenants.services import parties


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    org = parties.own_organisation(request.user)
    if org is None:
        raise Http404
    return render(
        request,
        "covenants/workspace.html",
        {"organisation": org, "places": parties.places(request.user)},
    )


@login_required
def obstacles(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = inside_covenant(request, slug)
    form = gforms.ObstacleForm(request.POST or None, covenant=covenant)
    if submit(
        request,
        form,
        lambda: parties.check_raise_obstacle(request.user, covenant, **form.cleaned_data),
    ):
        messages.success(request, _("Obstacle raised; the government party takes it from here."))
        return redirect("covenants:obstacles", slug=slug)
    return render(
        request,
        "covenants/obstacles.html",
        {
            "title": _("Obstacles register"),
            "covenant": covenant,
            "obstacles": parties.obstacles_visible_to(request.user, covenant),
            "form": form,
            "government": parties.is_government(request.user),
        },
    )


@login_required
def obstacle(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    covenant = inside_covenant(request, slug)
    item = get_object_or_404(parties.obstacles_visible_to(request.user, covenant), pk=pk)
    government = parties.is_government(request.user)
    form = gforms.ObstacleHandleForm(request.POST or None) if government else None
    if form is None:
        if request.method == "POST":
            raise Http404
    elif submit(request, form, lambda: _handle_obstacle(request, item, form.cleaned_data)):
        messages.success(request, _("Saved."))
        return redirect("covenants:obstacle", slug=slug, pk=pk)
    return render(
        request,
        "covenants/obstacle.html",
        {"covenant": covenant, "obstacle": item, "form": form},
    )


def _handle_obstacle(request: HttpRequest, item: Obstacle, data: dict[str, Any]) -> None:
    """The government party's answer to an obstacle: accept, report an action, or close."""
    action, text = data["action"], data["text"]
    if action == "accept":
        parties.check_accept_obstacle(request.user, item, text)
    elif action == "report":
        parties.check_report_action(request.user, item, text)
    else:
        parties.check_close_obstacle(request.user, item, text, action == "decline")


@login_required
def remind(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = inside_covenant(request, slug)
    org = parties.own_organisation(request.user)
    if org is None or org.type != "branch":
        raise Http404
    form = gforms.ReminderForm(request.POST or None)
    if done := submit(
        request,
        form,
        lambda: parties.check_remind_members(request.user, covenant, form.cleaned_data["message"]),
    ):
        messages.success(request, _("Reminder sent to %(n)s people.") % {"n": done.result})
        return redirect("covenants:workspace")
    return render(
        request,
        "covenants/governance_form.html",
        {
            "form": form,
            "title": _("Remind your members: %(c)s") % {"c": covenant.name},
            "members": parties.branch_members(org, covenant),
            "submit_label": _("Send the reminder"),
        },
    )


@login_required
def kpis(request: HttpRequest, slug: str) -> HttpResponse:
    """The covenant's KPI figures with the parties' comments beside them."""
    covenant = inside_covenant(request, slug)
    form = gforms.KpiCommentForm(request.POST or None)

    def comment() -> Agreement:
        agreement = get_object_or_404(covenant.agreements, pk=form.cleaned_data["agreement"])
        parties.check_comment_on_kpi(request.user, agreement, form.cleaned_data["text"])
        return agreement

    if done := submit(request, form, comment):
        messages.success(request, _("Comment added beside the figures."))
        return redirect(f"{request.path}#agreement-{done.result.pk}")
    return render(
        request,
        "covenants/kpis.html",
        {
            "title": _("KPI progress and the parties' comments"),
            "covenant": covenant,
            "lines": parties.kpi_board(request.user, covenant),
            "form": form,
            "may_comment": parties.is_active_party(request.user, covenant),
        },
    )
