"""The learning library's pages: search, an item, its files, sharing one.
Thin: parse, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant, Theme
from imvo.library import services
from imvo.library.forms import LearningForm
from imvo.library.models import LearningAttachment, LearningItem


def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    covenant_slug = request.GET.get("covenant", "")
    covenant = Covenant.objects.filter(slug=covenant_slug).first() if covenant_slug else None
    theme_code = request.GET.get("theme", "")[:60]
    kind = request.GET.get("kind", "")
    if kind not in LearningItem.Kind.values:
        kind = ""
    items = services.search_learning(q, covenant, theme_code, kind=kind)[:100]
    return render(
        request,
        "library/list.html",
        {
            "title": _("Learning library"),
            "items": list(items),
            "q": q,
            "covenant_slug": covenant_slug,
            "theme_code": theme_code,
            "kind": kind,
            "kinds": LearningItem.Kind.choices,
            "covenants": Covenant.objects.order_by("name_en"),
            "themes": Theme.objects.filter(covenant=None),
            "can_share": services.covenants_user_may_share_in(request.user).exists(),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(services.learning_items_visible_to(request.user), pk=pk)
    return render(request, "library/detail.html", {"title": item.title, "item": item})


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    att = get_object_or_404(
        LearningAttachment.objects.filter(
            item__in=services.learning_items_visible_to(request.user)
        ),
        pk=pk,
    )
    # Always a download with the type we checked on upload: never rendered in our origin.
    return FileResponse(
        att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not services.covenants_user_may_share_in(request.user).exists():
        raise Http404
    error = ""
    form = LearningForm(request.user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        uploads = [services.Upload(f.name, f.read()) for f in d["attachments"]]
        try:
            item = services.publish_learning_item(
                request.user,
                d["covenant"],
                d["title"],
                d["text"],
                kind=d["kind"],
                theme=d["theme"],
                summary=d["summary"],
                attachments=uploads,
            )
        except DomainError as e:
            error = str(e)
        else:
            messages.success(request, _("Published in the learning library."))
            return redirect(item)
    return render(
        request,
        "library/form.html",
        {"title": _("Share a practice or lesson"), "form": form, "error": error},
    )
