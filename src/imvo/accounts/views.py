from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from imvo.accounts import services as roles
from imvo.core.nav import collect_links
from imvo.covenants.models import Covenant


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in start page: what this person can do, by role."""
    user: Any = request.user
    return render(
        request,
        "accounts/home.html",
        {
            "managed": Covenant.objects.filter(pk__in=roles.managed_covenant_ids(user))
            if not roles.is_platform_admin(user)
            else Covenant.objects.all(),
            "committee": Covenant.objects.filter(pk__in=roles.committee_covenant_ids(user)),
            "organisation": user.organisation,
            "is_admin": roles.is_platform_admin(user),
            "links": collect_links(user),
        },
    )
