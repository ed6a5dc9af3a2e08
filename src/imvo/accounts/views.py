from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from imvo.accounts import services as roles
from imvo.accounts import two_factor
from imvo.accounts.models import CovenantRole
from imvo.core.registry import links_for


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class LoginView(auth_views.LoginView):
    """Password first; when the user has a second factor, ask for the code next."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.confirmed_device(user) is None:
            return super().form_valid(form)
        self.request.session[two_factor.PENDING_SESSION_KEY] = {
            "user": user.pk,
            "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
            "next": self.get_success_url(),
        }
        return redirect("accounts:verify")


def verify_second_factor(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(two_factor.PENDING_SESSION_KEY)
    if not pending:
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[two_factor.PENDING_SESSION_KEY]
            auth_login(request, user, backend=pending["backend"])
            otp_login(request, device)
            target = pending.get("next") or "/"
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "/"
            return HttpResponseRedirect(target)
        form.add_error(
            "code", _("That code is not right or has expired. Wait for a new code and try again.")
        )
    return render(request, "accounts/verify.html", {"form": form})


@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = two_factor.confirmed_device(user)
    form = CodeForm(request.POST or None)
    if device is not None:
        if request.method == "POST" and form.is_valid():
            if two_factor.disable(user, form.cleaned_data["code"]):
                messages.success(request, _("Two-step verification is off."))
                return redirect("accounts:two_factor")
            form.add_error("code", _("That code is not right or has expired."))
        return render(request, "accounts/two_factor.html", {"enabled": True, "form": form})
    pending = two_factor.start_setup(user)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm(pending, form.cleaned_data["code"]):
            messages.success(
                request,
                _("Two-step verification is on. You will be asked for a code when you log in."),
            )
            return redirect("accounts:home")
        form.add_error(
            "code", _("That code is not right or has expired. Check the time on your phone.")
        )
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": False,
            "form": form,
            "qr": two_factor.qr_svg(pending),
            "secret": two_factor.secret_base32(pending),
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in start page: what this person can do, by role."""
    user: Any = request.user
    # The covenants this person has a role in, reached through the role's own
    # foreign key: accounts sits below the covenants app and does not import it.
    covenants = CovenantRole._meta.get_field("covenant").related_model._default_manager
    return render(
        request,
        "accounts/home.html",
        {
            "managed": covenants.filter(pk__in=roles.managed_covenant_ids(user))
            if not roles.is_platform_admin(user)
            else covenants.all(),
            "committee": covenants.filter(pk__in=roles.committee_covenant_ids(user)),
            "organisation": user.organisation,
            "is_admin": roles.is_platform_admin(user),
            "links": links_for(user),
            "two_factor": two_factor.confirmed_device(user) is not None,
        },
    )


__all__ = ["BACKEND_SESSION_KEY"]
