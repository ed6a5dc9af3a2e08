"""Complaints API for partner channels (a union's app, an SMS or hotline gateway).

``POST /api/complaints`` is public and answers 201 with the receipt code;
``GET /api/complaints/mine`` with the header ``X-Receipt`` answers the case's
status, due dates, every step with its ground and reasons, messages, and the
complainant's own files (404 for an unknown code, 429 after too many wrong codes
from one client).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from imvo.complaints import limits
from imvo.complaints.models import Complaint
from imvo.complaints.services import filing, following
from imvo.complaints.services.access import CaseNotFoundError
from imvo.core.errors import DomainError
from imvo.core.ratelimit import too_many_response
from imvo.core.text import whole_number
from imvo.covenants.models import Covenant

router = Router(tags=["complaints"])


# Its fields but covenant and respondent are filing.NewComplaint's own.
class ComplaintIn(Schema):
    covenant: str | int
    description: str
    anonymous: bool = True
    complainant_type: str = "affected"
    name: str = ""
    contact: str = ""
    share_identity_with_company: bool = False
    respondent: str | int | None = None
    respondent_text: str = ""
    location: str = ""
    when: str = ""
    topics: list[str] = []
    remedy_sought: str = ""
    language: str = "en"


class ReceiptOut(Schema):
    receipt: str
    reference: str
    acknowledge_by: date | None


class MessageOut(Schema):
    sender: str
    at: date  # the day only: see docs/complaints.md, "Times"
    body: str


class StepOut(Schema):
    on: date
    state: str
    state_label: str
    ground: str
    ground_label: str
    reason: str


class OwnFileOut(Schema):
    """A file the complainant sent, as the follow page lists it: its number in
    the list (`id`: 1, 2, ...; not a database id), name, size as sent, the day. ``downloadable`` says a safe copy (metadata removed) exists;
    the copy is fetched on the follow page (``POST /complaints/follow/file/``,
    the receipt code in the body): there is no URL here, so none carries the
    code into a log, a history or a referrer. The original is never offered."""

    id: int
    name: str
    size: int
    on: date  # the day only: see docs/complaints.md, "Times"
    downloadable: bool


class MineOut(Schema):
    reference: str
    covenant: str
    state: str
    state_label: str
    next_step: str
    filed: date
    due: date | None
    decision: str
    closure_ground: str
    steps: list[StepOut]
    messages: list[MessageOut]
    files: list[OwnFileOut]


def _client(request: HttpRequest) -> str:
    return limits.client_key(limits.client_address(request.META))


def _submit_client(request: HttpRequest, covenant: Covenant) -> tuple[str, int | None]:
    """A partner gateway (SMS, hotline, a union's app) sends many workers' complaints
    from one address: with the API token of a gateway it is counted per token with
    a higher limit (PARTNER_SUBMIT_LIMIT per hour) instead of per address.

    A gateway is run by those who take complaints for workers: a trade union or an
    NGO (`on_behalf.filing_organisation`, the organisations that may file for
    workers on the site too) or the covenant's own secretariat (a hotline). Any
    other token (a member company's, a government's, a committee member's) files
    as anyone from its address does: its holder speaks for no crowd of workers,
    and a company's token must not buy it 500 complaints an hour
    (docs/security.md, R4)."""
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        from imvo.accounts.models import ApiToken
        from imvo.accounts.services import is_secretariat
        from imvo.complaints.services.on_behalf import filing_organisation

        token = ApiToken.lookup(auth[7:].strip())
        if token is not None and (
            filing_organisation(token.user) is not None or is_secretariat(token.user, covenant)
        ):
            return f"token-{token.pk}", limits.PARTNER_SUBMIT_LIMIT
    return _client(request), None


@router.post("/complaints", response={201: ReceiptOut}, auth=None)
def file_complaint(request: HttpRequest, payload: ComplaintIn) -> Status[ReceiptOut] | HttpResponse:
    covenant = filing.find_covenant(payload.covenant)
    respondent = None
    if payload.respondent not in (None, ""):
        key = str(payload.respondent)
        qs = filing.members_of(covenant)
        pk = whole_number(key)
        respondent = qs.filter(pk=pk).first() if pk is not None else qs.filter(slug=key).first()
        if respondent is None:
            raise DomainError(f"respondent: {key[:60]} is not a member of this covenant.")
    unknown = [t for t in payload.topics if t not in {c for c, _l, _t in filing.TOPICS}]
    if unknown:
        raise DomainError(f"topics: unknown topic(s) {', '.join(unknown[:5])}.")
    client, limit = _submit_client(request, covenant)
    try:
        filed = filing.check_file_complaint(
            filing.NewComplaint(
                covenant=covenant,
                respondent=respondent,
                # The payload's other fields are the complaint's own.
                **payload.model_dump(exclude={"covenant", "respondent"}),
                channel=Complaint.Channel.API,
            ),
            client=client,
            submit_limit=limit,
        )
    except limits.RateLimitedError as e:
        return too_many_response(e)
    return Status(
        201,
        ReceiptOut(
            receipt=filed.receipt,
            reference=filed.complaint.reference,
            acknowledge_by=filed.complaint.due,
        ),
    )


@router.get("/complaints/mine", response=MineOut, auth=None)
def mine(request: HttpRequest) -> MineOut | HttpResponse:
    code = request.headers.get("X-Receipt", "")
    try:
        c = following.complaint_by_receipt(code, client=_client(request))
    except limits.RateLimitedError as e:
        return too_many_response(e)
    except CaseNotFoundError as e:
        raise HttpError(404, str(e)) from e
    v = following.complainant_view(c)
    return MineOut(
        reference=v["reference"],
        covenant=v["covenant"],
        state=v["state"],
        state_label=v["state_label"],
        next_step=v["next_step"],
        filed=v["filed"],
        due=v["due"],
        decision=v["decision"],
        closure_ground=v["closure_ground"],
        steps=[StepOut(**s) for s in v["steps"]],
        messages=[MessageOut(sender=m["from"], at=m["at"], body=m["body"]) for m in v["messages"]],
        files=[OwnFileOut(**f) for f in v["files"]],
    )
