from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from imvo.accounts import invitations, lockouts, two_factor
from imvo.accounts import services as roles
from imvo.accounts.models import CovenantRole
from imvo.accounts.services import AnyUser
from imvo.core.forms import limit_choices, submit
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
    return render(
        request, "accounts/verify.html", {"form": form, "title": _("Two-step verification")}
    )


def admin_login(request: HttpRequest) -> HttpResponse:
    """The Django admin's log-in address, answered by the site's log-in.

    The admin's own form checks the password only and its session is the site's,
    so with it a password alone passed the second factor (docs/security.md, T44).
    Signed out: to the site's log-in (password, then the code), and back. Signed
    in as staff: on to the admin. Signed in otherwise: refused (the admin would
    send back here, a loop)."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse

    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")
    user: Any = request.user
    if not user.is_authenticated:
        return redirect_to_login(target, reverse("accounts:login"))
    if not (user.is_active and user.is_staff):
        raise PermissionDenied
    return HttpResponseRedirect(target)


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


# --- invitations, password reset, unlocking ---------------------------------------


class InviteForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,  # set per user in __init__
        label=gettext_lazy("Organisation"),
    )
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=150)

    def __init__(self, user: AnyUser, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", invitations.invitable_organisations(user))


def _require_secretariat(user: AnyUser) -> None:
    from django.core.exceptions import PermissionDenied

    if not (roles.is_platform_admin(user) or roles.managed_covenant_ids(user)):
        raise PermissionDenied


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    """The secretariat invites a person of a member organisation by e-mail."""
    user: Any = request.user
    _require_secretariat(user)
    form = InviteForm(user, request.POST or None)
    if done := submit(
        request,
        form,
        lambda: invitations.check_invite(
            user,
            form.cleaned_data["organisation"],
            form.cleaned_data["email"],
            form.cleaned_data["name"],
            invitations.link_base(request.build_absolute_uri("/")),
        ),
        error_field="email",
    ):
        email = done.result.email
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
        return redirect("accounts:invite")
    return render(
        request,
        "accounts/invite.html",
        {
            "form": form,
            "pending": invitations.pending_invitations(user).select_related("organisation"),
        },
    )


def accept_invitation(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invited person chooses a password; the account becomes active."""
    from django.contrib.auth.forms import SetPasswordForm

    invited = invitations.invited_user(uidb64, token)
    if invited is None:
        return render(request, "accounts/invitation_invalid.html", status=200)
    form = SetPasswordForm(invited, request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitations.do_accept(invited, form.cleaned_data["new_password1"])
        messages.success(request, _("Your password is set. Log in with it now."))
        return redirect("accounts:login")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invited": invited})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail; the answer is the same whether the address is
    known, in its text and in its time: the request only queues the mail
    (`tasks.send_password_reset`), for every address alike, and the worker looks
    the address up and sends (docs/security.md, O2)."""

    template_name = "accounts/password_reset.html"
    title = gettext_lazy("Forgot your password?")  # the page's title and heading
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        from django.conf import settings

        from imvo.accounts.tasks import send_password_reset
        from imvo.core import ratelimit

        # Bounded (docs/security.md, T60): unbounded, one client queued a mail
        # task per request, flooding a person's mailbox with reset links and the
        # task queue that supplier lists wait in. Per client address: over the
        # limit the form says so (429). Per e-mail address, whoever asks: past
        # the limit nothing more is queued and the answer stays the same as for
        # every address, known or not (O2).
        try:
            ratelimit.hit(
                "password-reset",
                ratelimit.request_client(self.request),
                int(settings.IMVO_PASSWORD_RESET_LIMIT),
                3600,
            )
        except ratelimit.RateLimitedError as e:
            form.add_error(None, str(e))
            return ratelimit.with_retry_after(
                self.render_to_response(self.get_context_data(form=form), status=429), e
            )
        try:
            ratelimit.hit(
                "password-reset-email",
                ratelimit.client_key(form.cleaned_data["email"].strip().lower()),
                int(settings.IMVO_PASSWORD_RESET_EMAIL_LIMIT),
                3600,
            )
        except ratelimit.RateLimitedError:
            return HttpResponseRedirect(self.get_success_url())
        if settings.IMVO_PUBLIC_URL:
            from urllib.parse import urlsplit

            parts = urlsplit(settings.IMVO_PUBLIC_URL)
            protocol, domain = parts.scheme, parts.netloc
        else:
            protocol = "https" if self.request.is_secure() else "http"
            domain = self.request.get_host()
        send_password_reset.enqueue(
            email=form.cleaned_data["email"],
            domain=domain,
            protocol=protocol,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password also lifts a log-in lock-out on the account."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        lockouts.do_unlock(form.user.get_username())
        return response


@login_required
def locked_accounts(request: HttpRequest) -> HttpResponse:
    """Accounts locked after failed log-ins, for the secretariat of their covenant."""
    user: Any = request.user
    _require_secretariat(user)
    if request.method == "POST":
        lockouts.check_unlock(user, request.POST.get("username", ""))
        messages.success(
            request, _("%(name)s can log in again.") % {"name": request.POST.get("username", "")}
        )
        return redirect("accounts:lockouts")
    return render(
        request, "accounts/lockouts.html", {"lockouts": lockouts.lockouts_visible_to(user)}
    )


__all__ = ["BACKEND_SESSION_KEY"]
