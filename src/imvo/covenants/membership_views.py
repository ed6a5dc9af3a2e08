"""Applying to join a covenant (public) and the secretariat's decision on applications."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from imvo.core import ratelimit
from imvo.core.errors import DomainError
from imvo.core.forms import submit
from imvo.covenants import governance_forms as gforms
from imvo.covenants import services
from imvo.covenants.models import Covenant, MembershipApplication
from imvo.covenants.seams import secretariat_page
from imvo.covenants.services import membership


def apply(request: HttpRequest, slug: str) -> HttpResponse:
    covenant = get_object_or_404(services.covenants_visible_to(request.user), slug=slug)
    form = gforms.ApplicationForm(request.POST or None)
    client = ratelimit.request_client(request)
    if submit(
        request,
        form,
        lambda: membership.check_apply(covenant, **form.cleaned_data, client=client),
    ):
        return render(request, "covenants/applied.html", {"covenant": covenant})
    return render(
        request,
        "covenants/apply.html",
        {"covenant": covenant, "form": form, "open": membership.accepts_applications(covenant)},
    )


@secretariat_page
def applications(request: HttpRequest, covenant: Covenant) -> HttpResponse:
    return render(
        request,
        "covenants/applications.html",
        {
            "covenant": covenant,
            "applications": membership.applications_visible_to(request.user, covenant),
        },
    )


@secretariat_page
def application_decide(request: HttpRequest, covenant: Covenant, pk: int) -> HttpResponse:
    application = get_object_or_404(
        membership.applications_visible_to(request.user, covenant), pk=pk
    )
    form = gforms.AdmitForm(request.POST or None)
    link = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "admit":
                if not data["start_date"]:
                    raise DomainError(_("Give the date from which the organisation is a member."))
                admission = membership.check_admit(
                    request.user, application, data["start_date"], request.build_absolute_uri("/")
                )
                link = admission.invitation_link
                messages.success(
                    request,
                    (
                        _("%(org)s is admitted; its contact was invited by e-mail.")
                        if link
                        else _(
                            "%(org)s is admitted; it was already on the platform, so its "
                            "own people's accounts take part and its contact got no account."
                        )
                    )
                    % {"org": application.organisation_name},
                )
            else:
                membership.check_reject(request.user, application, data["reason"])
                messages.success(request, _("The application is closed with your reason."))
                return redirect("covenants:applications", slug=covenant.slug)
        except DomainError as e:
            form.add_error(None, str(e))
    return render(
        request,
        "covenants/application.html",
        {
            "covenant": covenant,
            "application": application,
            "form": form,
            "link": link,
            "pending": application.status == MembershipApplication.Status.PENDING,
            "existing": membership.existing_organisation(application),
        },
    )
