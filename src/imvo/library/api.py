"""The learning library's endpoint (public)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from imvo.covenants.models import Covenant
from imvo.library.services import search_learning

router = Router(tags=["library"])


class LearningOut(Schema):
    id: int
    covenant: str
    kind: str
    title: str
    theme: str | None
    summary: str
    organisation: str | None
    published_at: datetime
    url: str


@router.get("/learning", response=list[LearningOut], summary="Search the learning library")
def search(
    request: HttpRequest, q: str = "", covenant: str = "", theme: str = "", kind: str = ""
) -> list[dict[str, Any]]:
    c = Covenant.objects.filter(slug=covenant).first() if covenant else None
    if covenant and c is None:
        raise HttpError(404, f"No covenant {covenant!r}.")
    items = search_learning(q[:200], c, theme[:60], kind=kind)[:200]
    return [
        {
            "id": i.pk,
            "covenant": i.covenant.slug,
            "kind": i.kind,
            "title": i.title,
            "theme": i.theme.code if i.theme else None,
            "summary": i.summary,
            "organisation": i.organisation.name if i.organisation else None,
            "published_at": i.published_at,
            "url": i.get_absolute_url(),
        }
        for i in items
    ]
