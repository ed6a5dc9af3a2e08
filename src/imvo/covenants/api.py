"""Covenant endpoints: public reads, secretariat writes with a token."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from imvo.accounts.seams import token_auth
from imvo.core.public_cache import cache_public_answer
from imvo.covenants import services
from imvo.covenants.models import Adherence, Agreement, Covenant

router = Router(tags=["covenants"])


class CovenantOut(Schema):
    id: int
    slug: str
    name: str
    name_nl: str
    name_en: str
    sector: str
    phase: str
    start_date: date | None
    end_date: date | None
    parties: int
    stakeholders: int
    url: str


class OrganisationRef(Schema):
    id: int
    name: str
    type: str
    role: str
    status: str
    since: date
    until: date | None


class AgreementOut(Schema):
    id: int
    number: str
    title: str
    kpi: str
    unit: str
    baseline: Decimal
    target: Decimal
    deadline: date
    latest: Decimal | None
    latest_date: date | None
    progress_percent: int | None
    status: str


class StepOut(Schema):
    order: int
    phase: str
    name: str
    status: str
    started: date | None
    completed: date | None


class CovenantDetailOut(CovenantOut):
    description: str
    organisations: list[OrganisationRef]
    agreements: list[AgreementOut]
    steps: list[StepOut]
    themes: list[str]


def _covenant_out(c: Covenant, request: HttpRequest) -> dict[str, Any]:
    if hasattr(c, "party_count"):  # counted by the database (public_covenant_list)
        parties, stakeholders = c.party_count, getattr(c, "stakeholder_count", 0)
    else:
        adherences = [a for a in c.adherences.all() if a.status == Adherence.Status.ACTIVE]
        parties = sum(1 for a in adherences if a.role == Adherence.Role.PARTY)
        stakeholders = sum(1 for a in adherences if a.role == Adherence.Role.STAKEHOLDER)
    return {
        "id": c.pk,
        "slug": c.slug,
        "name": c.name,
        "name_nl": c.name_nl,
        "name_en": c.name_en,
        "sector": c.sector,
        "phase": c.phase,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "parties": parties,
        "stakeholders": stakeholders,
        "url": request.build_absolute_uri(c.get_absolute_url()),
    }


def _agreement_out(a: Agreement) -> dict[str, Any]:
    p = services.kpi_progress(a)
    return {
        "id": a.pk,
        "number": a.number,
        "title": a.title,
        "kpi": a.kpi_name,
        "unit": a.kpi_unit,
        "baseline": a.baseline,
        "target": a.target,
        "deadline": a.deadline,
        "latest": p.latest,
        "latest_date": p.latest_date,
        "progress_percent": p.percent,
        "status": p.status,
    }


@router.get("/covenants", response=list[CovenantOut], summary="All covenants")
@decorate_view(cache_public_answer(services.public_version))
def list_covenants(request: HttpRequest) -> list[dict[str, Any]]:
    # Counted in the database: loading every adherence of thousands of members
    # to count them made this the slowest public answer (docs/performance.md).
    qs = services.public_covenant_list().filter(
        pk__in=services.covenants_visible_to(request.user).values("pk")
    )
    return [_covenant_out(c, request) for c in qs]


@router.get("/covenants/{key}", response=CovenantDetailOut, summary="One covenant by id or slug")
@decorate_view(cache_public_answer(services.public_version))
def get_covenant(request: HttpRequest, key: str) -> dict[str, Any]:
    try:
        c = services.get_covenant(key)
    except Covenant.DoesNotExist:
        raise HttpError(404, f"No covenant with id or slug {key!r}.") from None
    out = _covenant_out(c, request)
    out["description"] = c.description
    out["organisations"] = [
        {
            "id": a.organisation_id,
            "name": a.organisation.name,
            "type": a.organisation.type,
            "role": a.role,
            "status": a.status,
            "since": a.since,
            "until": a.until,
        }
        for a in c.adherences.select_related("organisation")
    ]
    out["agreements"] = [_agreement_out(a) for a in c.agreements.prefetch_related("measurements")]
    out["steps"] = [
        {
            "order": s.order,
            "phase": s.phase,
            "name": s.name,
            "status": s.status,
            "started": s.started,
            "completed": s.completed,
        }
        for s in c.steps.all()
    ]
    out["themes"] = [t.name for t in c.themes.all()]
    return out


class MeasurementIn(Schema):
    date: date
    value: Decimal
    source: str
    note: str = ""


class MeasurementOut(Schema):
    id: int
    date: date
    value: Decimal
    source: str


@router.post(
    "/agreements/{agreement_id}/measurements",
    response={201: MeasurementOut},
    auth=token_auth,
    summary="Record a KPI measurement (secretariat)",
)
def add_measurement(request: HttpRequest, agreement_id: int, payload: MeasurementIn):  # type: ignore[no-untyped-def]
    agreement = get_object_or_404(Agreement, pk=agreement_id)
    m = services.record_measurement(
        request.auth,  # type: ignore[attr-defined]
        agreement,
        payload.date,
        payload.value,
        payload.source,
        payload.note,
    )
    return Status(201, m)
