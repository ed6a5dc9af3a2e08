"""Covenant pages: public overview and detail, secretariat management forms."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.core.registry import follow_ups_for
from imvo.covenants import forms, services
from imvo.covenants.models import (
    Adherence,
    Agreement,
    Covenant,
    KpiMeasurement,
    ProcessStep,
)
from imvo.covenants.pages import form_page
from imvo.covenants.seams import secretariat_page
from imvo.covenants.services import governance as governance_services
from imvo.covenants.services import membership


def home(request: HttpRequest) -> HttpResponse:
    # Lazy: the template's cached fragment runs the query only on a cache miss.
    covenants = services.public_covenant_list()
    return render(
        request,
        "covenants/home.html",
        {
            "covenants": covenants,
            "public_version": services.public_version(),
            "cache_seconds": services.PUBLIC_CACHE_SECONDS,
        },
    )


def _agreements_with_progress(covenant: Covenant) -> list[tuple[Agreement, services.KpiProgress]]:
    agreements = covenant.agreements.prefetch_related(
        "themes",
        "owners",
        Prefetch("measurements", queryset=KpiMeasurement.objects.order_by("date")),
    )
    return [(a, services.kpi_progress(a)) for a in agreements]


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = get_object_or_404(services.covenants_visible_to(request.user), slug=slug)

    # Callables, computed once and only when the template's cached fragment
    # misses (templates call callables): a cache hit costs no query.
    @cache
    def adherences() -> list[Adherence]:
        return list(covenant.adherences.select_related("organisation").prefetch_related("changes"))

    @cache
    def governance() -> list[tuple[Any, Any]]:
        return governance_services.bodies_with_verdicts(covenant)

    @cache
    def adherences_with_status() -> list[membership.PublicStatus]:
        return [membership.public_status(a) for a in adherences()]

    context: dict[str, Any] = {
        "covenant": covenant,
        "public_version": services.public_version(),
        "cache_seconds": services.PUBLIC_CACHE_SECONDS,
        # Withdrawn organisations leave the current lists and stay in the history below them.
        "parties": cache(
            lambda: [
                s
                for s in adherences_with_status()
                if s.adherence.role == Adherence.Role.PARTY
                and s.adherence.status != Adherence.Status.WITHDRAWN
            ]
        ),
        "former": cache(
            lambda: [
                s
                for s in adherences_with_status()
                if s.adherence.status == Adherence.Status.WITHDRAWN
            ]
        ),
        "accepts_applications": membership.accepts_applications(covenant),
        "stakeholders": cache(
            lambda: [
                a
                for a in adherences()
                if a.role == Adherence.Role.STAKEHOLDER and a.status != Adherence.Status.WITHDRAWN
            ]
        ),
        "governance": governance,
        "agreements": cache(lambda: _agreements_with_progress(covenant)),
        "steps": covenant.steps.all(),
        # The page names each theme's OECD chapter: fetch the parents with them.
        "themes": covenant.themes.select_related("parent"),
        "can_manage": roles.is_secretariat(request.user, covenant),
    }
    return render(request, "covenants/detail.html", context)


# --- secretariat ---------------------------------------------------------------


@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    return render(
        request,
        "covenants/manage_index.html",
        {"covenants": services.covenants_managed_by(request.user)},
    )


@login_required
def covenant_create(request: HttpRequest) -> HttpResponse:
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    form = forms.CovenantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        covenant = services.create_covenant(request.user, **form.cleaned_data)
        messages.success(request, _("Covenant created."))
        return redirect("covenants:manage", slug=covenant.slug)
    return render(request, "covenants/form.html", {"form": form, "title": _("New covenant")})


@secretariat_page
def manage(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    return render(
        request,
        "covenants/manage.html",
        {
            "covenant": covenant,
            "adherences": covenant.adherences.select_related("organisation").prefetch_related(
                "changes"
            ),
            "agreements": _agreements_with_progress(covenant),
            "steps": covenant.steps.all(),
            "follow_ups": follow_ups_for(covenant),
        },
    )


@secretariat_page
def covenant_edit(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    form = forms.CovenantForm(request.POST or None, instance=covenant)
    return form_page(
        request,
        covenant,
        form,
        form.save,
        title=_("Edit covenant"),
        message=_("Covenant saved."),
    )


@secretariat_page
def adherence_add(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    form = forms.AdherenceForm(request.POST or None)
    return form_page(
        request,
        covenant,
        form,
        lambda: services.add_adherence(
            request.user,
            covenant,
            form.cleaned_data["organisation"],
            form.cleaned_data["role"],
            form.cleaned_data["since"],
        ),
        title=_("Add an organisation"),
        message=_("Organisation added."),
        error_field="organisation",
    )


@secretariat_page
def organisation_add(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    return form_page(
        request,
        covenant,
        form,
        lambda: services.register_organisation(request.user, covenant, form.save(commit=False)),
        title=_("Register an organisation"),
        done="covenants:adherence_add",
        message=_("Organisation registered; now add it to the covenant."),
    )


@secretariat_page
def adherence_change(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    adherence = get_object_or_404(Adherence, pk=pk, covenant=covenant)
    form = forms.AdherenceChangeForm(
        request.POST or None,
        initial={"role": adherence.role, "status": adherence.status},
    )
    return form_page(
        request,
        covenant,
        form,
        lambda: services.change_adherence(
            request.user,
            adherence,
            form.cleaned_data["status"],
            form.cleaned_data["on"],
            form.cleaned_data["reason"],
            role=form.cleaned_data["role"],
        ),
        title=adherence.organisation.name,
        message=_("Adherence updated; the change is recorded."),
        error_field="reason",
        history=adherence.changes.all(),
    )


@secretariat_page
def agreement_edit(request: HttpRequest, covenant: Covenant, pk: int | None = None) -> HttpResponse:
    instance = (
        get_object_or_404(Agreement, pk=pk, covenant=covenant)
        if pk
        else Agreement(covenant=covenant)
    )
    form = forms.AgreementForm(request.POST or None, instance=instance, covenant=covenant)

    def save() -> None:
        agreement = form.save(commit=False)
        agreement.covenant = covenant
        services.save_agreement(
            request.user, agreement, form.cleaned_data["owners"], form.cleaned_data["themes"]
        )

    return form_page(
        request,
        covenant,
        form,
        save,
        title=_("Edit agreement") if pk else _("New agreement"),
        message=_("Agreement saved."),
    )


@secretariat_page
def measurement_add(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement, pk=pk, covenant=covenant)
    form = forms.MeasurementForm(request.POST or None, agreement=agreement)
    return form_page(
        request,
        covenant,
        form,
        lambda: services.record_measurement(
            request.user,
            agreement,
            form.cleaned_data["date"],
            form.cleaned_data["value"],
            form.cleaned_data["source"],
            form.cleaned_data["note"],
        ),
        title=_("Record a measurement: %(kpi)s") % {"kpi": agreement.kpi_name},
        message=_("Measurement recorded."),
        measurements=agreement.measurements.all(),
        agreement=agreement,
    )


@secretariat_page
def step_edit(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    step = get_object_or_404(ProcessStep, pk=pk, covenant=covenant)
    form = forms.StepForm(request.POST or None, instance=step)
    return form_page(
        request,
        covenant,
        form,
        lambda: services.update_step(
            request.user,
            step,
            form.cleaned_data["status"],
            form.cleaned_data["started"],
            form.cleaned_data["completed"],
        ),
        title=step.name,
        message=_("Process step saved."),
    )


# --- member -----------------------------------------------------------------------


@login_required
def my_organisation(request: HttpRequest) -> HttpResponse:
    org = (
        services.organisations_editable_by(request.user)
        .filter(pk=roles.organisation_id(request.user) or 0)
        .first()
    )
    if org is None:
        raise Http404
    form = forms.OwnOrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("covenants:my_organisation")
    return render(
        request,
        "covenants/my_organisation.html",
        {
            "organisation": org,
            "form": form,
            "adherences": org.adherences.select_related("covenant"),
        },
    )
