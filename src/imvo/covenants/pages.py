"""What the covenant pages share: the covenant a party's page is about (404 for
anyone not inside it; the secretariat's pages use `seams.managed_covenant`), and
the page that runs a form of a covenant.

    covenant = managed_covenant(request.user, slug)
    form = forms.StepForm(request.POST or None, instance=step)
    return form_page(request, covenant, form, lambda: services.update_step(...),
                     title=step.name, message=_("Process step saved."))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from imvo.core.forms import submit
from imvo.covenants.models import Covenant
from imvo.covenants.services import governance


def inside_covenant(request: HttpRequest, slug: str) -> Covenant:
    """The covenant `slug` when the user is inside it (a party, a seat holder or its
    secretariat); 404 for anyone else."""
    covenant = get_object_or_404(Covenant, slug=slug)
    if not governance.audience(request.user, covenant).inside:
        raise Http404
    return covenant


def form_page[T](
    request: HttpRequest,
    covenant: Covenant,
    form: forms.BaseForm,
    action: Callable[[], T],
    *,
    title: str,
    message: str | Callable[[T], str],
    done: str | Callable[[T], HttpResponse] = "covenants:manage",
    template: str = "covenants/form.html",
    error_field: str | None = None,
    **context: Any,
) -> HttpResponse:
    """The shape of every form page of a covenant: on a valid POST, `action()` (a
    `DomainError` becomes the form's error on `error_field`), then `message` and a
    redirect to the covenant's `done` page (its manage page unless named; a callable
    is given the action's result and answers itself); otherwise the form on
    `template` with `title`, the covenant and `context`."""
    if ran := submit(request, form, action, error_field=error_field):
        messages.success(request, message(ran.result) if callable(message) else message)
        if callable(done):
            return done(ran.result)
        return redirect(done, slug=covenant.slug)
    return render(
        request, template, {"form": form, "title": title, "covenant": covenant, **context}
    )
