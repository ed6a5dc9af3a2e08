"""The access-control matrix: every page and every JSON API operation x every role.

The routes are enumerated from the running site (Django's URL resolver, walked
recursively through every app's urls, and the Ninja OpenAPI document), so a new
page or API operation without a row here fails ``test_matrix_covers_every_route``.

Roles (columns, always in this order):

    anon  anonymous visitor
    a     member of company A (the owner of every object the rows point at)
    b     member of company B (same covenant X, a competitor)
    sx    secretariat of covenant X (the objects' covenant)
    sy    secretariat of covenant Y
    cx    complaints-committee member of covenant X
    rx    committee member of X, recused on the complaint the rows use
    adm   platform admin (operates the install; not a case officer)

The rules the expected answers follow (docs/security.md, T1-T3):

- A signed-in page asked for anonymously redirects to the login page (302);
  an authenticated API operation answers 401.
- Another organisation's object, or another covenant's, answers 404: the
  answer never confirms that the object exists.
- A page for a role the user does not hold (the secretariat's manage pages,
  the committee page) answers 403 when it names nothing confidential, 404 when
  it names an object.
- A recused committee member is refused the case (403, and the refusal is
  audited): they are known to the case, so 404 would only confuse them.
- The platform admin operates the install and may read members' supply-chain,
  risk and due-diligence data, but sees no complaint content (404 on cases).
- A member's disclosure (its supplier lists, their column map, matches and
  confirmation, its versions) is changed by the member only: the secretariat
  and the platform admin read it and are refused every change (403, with the
  reason on the page), docs/supplychain.md.
- Lists that hold company A's data (risk register, due-diligence submissions,
  cases) never show it to company B or the other covenant's secretariat: each
  row may name a marker text that must appear only for the roles listed.

State-changing requests: every page is also POSTed by every role that may not
read it, and every write operation of the API is called by every role that
may not use it; the answer must be the same refusal and the request must not write to the
platform's tables (every SQL statement it runs is captured; only its own
bookkeeping, the audit trail of refusals, a token's last use, is allowed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from imvo.core.testing import one_page_pdf
from imvo.testing import World, build_world

ROLES = ("anonymous", "member_a", "member_b", "secretariat_x", "secretariat_y",
         "committee_x", "recused_committee_x", "admin")  # fmt: skip

# Route prefixes left out of the matrix, each with its reason.
EXCLUDED = {
    "admin/": "Django's admin: staff-only by Django itself, covered by Django's own tests",
    "i18n/": "set_language only stores a language preference in a cookie (no data)",
    "media/": "static/media serving exists only with DEBUG on (never in production)",
    "static/": "static files are public by design",
}

SECRET_A = "MATRIX-A-SECRET"  # text in company A's confidential objects


# --- enumerating the site --------------------------------------------------------


def _walk(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            sub = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _walk(p, prefix + str(p.pattern), sub)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), f"{ns}{p.name}"


def site_routes() -> dict[str, str]:
    """Every named page of the site (name -> pattern), minus the exclusions."""
    routes = {}
    for pattern, name in _walk(get_resolver()):
        if any(pattern.startswith(x) for x in EXCLUDED):
            continue
        if name.startswith("api:") and name not in ("api:openapi-json", "api:openapi-view"):
            continue  # API operations are enumerated from the OpenAPI document below
        assert name not in routes, f"two URL patterns share the name {name}"
        routes[name] = pattern
    return routes


def api_operations() -> set[str]:
    from imvo.api import api

    schema = api.get_openapi_schema()
    return {f"{m.upper()} {path}" for path, ops in schema["paths"].items() for m in ops}


# --- the world the rows point at ------------------------------------------------------


def build_objects(w: World) -> dict[str, Any]:
    """Company A's confidential objects in covenant X, made with each app's services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from imvo.accounts.models import ApiToken
    from imvo.complaints.evidence import store_evidence
    from imvo.complaints.services import committee, filing
    from imvo.covenants.models import Adherence, ProcessStep
    from imvo.duediligence.services import action_plan, frameworks, submissions
    from imvo.duediligence.tests.helpers import GARMENT_ANSWERS, answer_all
    from imvo.library import services as library
    from imvo.reporting.services import open_data as reporting_open_data
    from imvo.reporting.services import publication as reporting_publication
    from imvo.risk import services as risk
    from imvo.supplychain import services as supplychain
    from imvo.supplychain.models import Match
    from imvo.supplychain.tests.helpers import REGISTRY, csv_bytes, make_registry
    from imvo.testing import make_agreement, reports_published_without_pdf

    x = w.covenant_x
    agreement = make_agreement(x)
    sourcing = risk.add_sourcing(w.member_a, w.company_a, "Bangladesh", "garment", "Shirts")
    entry = risk.create_entry(w.member_a, w.company_a, "child-labour", SECRET_A + " cotton")
    frameworks.check_install_framework(w.secretariat_x, x, "garment")
    sub = submissions.check_start_submission(w.member_a, x, 2025)
    answer_all(w.member_a, sub, GARMENT_ANSWERS)
    submissions.check_submit(
        w.member_a, sub
    )  # submitted: the secretariat of X may now read and review it
    action = action_plan.check_save_action(
        w.member_a, x, what=SECRET_A + " audit", owner="QA", target="5 audits",
        deadline=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    progress = action_plan.check_add_progress(
        w.member_a, action, 20, "first audit", SimpleUploadedFile("a.pdf", one_page_pdf())
    )
    case = action_plan.check_save_case(
        w.member_a, x, what_happened=SECRET_A + " wages", affected="40 workers"
    )
    filed = filing.check_file_complaint(
        filing.NewComplaint(
            covenant=x, description=SECRET_A + " unpaid wages", respondent=w.company_a
        )
    )
    complaint = filed.complaint
    evidence = store_evidence(complaint, "photo.pdf", one_page_pdf()).evidence
    assert evidence is not None and evidence.safe_name
    committee.check_recuse(w.committee_x, complaint, w.recused_committee_x, "conflict of interest")
    answered, answer_file = _answered_complaint(w)
    item = library.publish_learning_item(
        w.member_a, x, "Living wage pilot", "We paid the gap.",
        attachments=[library.Upload("pilot.pdf", one_page_pdf())],
    )  # fmt: skip
    # Who may download the published PDF is asked; its rendering is reporting's test.
    with reports_published_without_pdf():
        reporting_publication.publish_report(w.secretariat_x, x, 2025)
    first_facility = make_registry()[0].pk
    supplier_list = supplychain.upload_list(  # processed at once by the tests' task backend
        w.member_a, x, 2025, "suppliers.csv",
        csv_bytes([[SECRET_A + " Knit", "Plot 9, Tongi, Gazipur", "BD"], list(REGISTRY[0])]),
    )  # fmt: skip
    match = Match.objects.get(row__supplier_list=supplier_list, row__name__startswith=SECRET_A)
    # Company A's secret row waits for a decision, so the review pages have it to show.
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.PENDING, facility=None, candidates=[[first_facility, 0.7]],
        explanation=[{"field": "name", "level": "weak", "weight": 0.5, "detail": ""}],
    )  # fmt: skip
    from imvo.collective.services import cap, joint

    shared = Match.objects.get(row__supplier_list=supplier_list, row__name=REGISTRY[0][0])
    joint_action = joint.check_propose(  # the secretariat invites A, the one member there
        w.secretariat_x, x, SECRET_A + " fire safety", facility_id=shared.facility_id
    )
    joint.check_decide(w.member_a, joint_action, "join")
    finding = cap.check_add_finding(w.member_a, joint_action, "audit", "exits locked")
    cap_item = cap.check_add_item(
        w.member_a, finding, "panic bars", "factory", timezone.localdate() + timedelta(days=30)
    )
    reg_entry, regdoc, supplier_token = _regulation_objects(w, sub)
    tokens = {r: ApiToken.issue(u)[1] for r, u in w.personas().items() if r != "anonymous"}
    gov = _governance_objects(w)
    return {
        "slug": x.slug,
        "slug_y": w.covenant_y.slug,
        "agreement": agreement.pk,
        "adherence": Adherence.objects.get(covenant=x, organisation=w.company_a).pk,
        "step": ProcessStep.objects.filter(covenant=x).first().pk,  # type: ignore[union-attr]
        "sourcing": sourcing.pk,
        "entry": entry.pk,
        "submission": sub.pk,
        "action": action.pk,
        "progress": progress.pk,
        "ddcase": case.pk,
        "complaint": complaint.reference,  # case addresses name the reference (T39)
        "evidence": evidence.pk,
        "own_file": 1,  # the complainant's files are numbered within the case (O4)
        "receipt": filed.receipt,
        "answered": answered,
        "answer_file": answer_file,
        "reference": complaint.reference,
        "item": item.pk,
        "attachment": item.attachments.first().pk,  # type: ignore[union-attr]
        "open_table": reporting_open_data.open_tables()[0].name,
        "supplier_list": supplier_list.pk,
        "disclosure": supplier_list.versions.get().disclosure_id,
        "match": match.pk,
        "facility": shared.facility_id,
        "joint_action": joint_action.pk,
        "cap_item": cap_item.pk,
        "reg_entry": reg_entry,
        "regdoc": regdoc,
        "supplier_token": supplier_token,
        "tokens": tokens,
        **gov,
    }


def _answered_complaint(w: World) -> tuple[str, int]:
    """A complaint against company A that admissibility let A see, with a file A
    attached to its answer (complaints/services/answers.py) and the complainant's
    file shared with A (its number 1); rx is recused on it. Both files are
    addressed by their number in the case."""
    from imvo.complaints.models import Complaint, State
    from imvo.complaints.services import answers, committee, filing

    c = filing.check_file_complaint(
        filing.NewComplaint(
            covenant=w.covenant_x,
            description=SECRET_A,
            respondent=w.company_a,
            files=[("photo.pdf", one_page_pdf())],
        )
    ).complaint
    c.evidence.exclude(safe_name="").update(shared_with_company=True)
    Complaint.objects.filter(pk=c.pk).update(state=State.ADMISSIBLE)
    c.refresh_from_db()
    committee.check_recuse(w.committee_x, c, w.recused_committee_x, "conflict of interest")
    answers.check_company_answer(w.member_a, c, "Our answer", [("a.pdf", one_page_pdf())])
    return c.reference, 1  # the file's number in the case (T52), never its id


def _governance_objects(w: World) -> dict[str, int]:
    """A steering group of covenant X with a meeting (minutes for the body only), a
    decision for the parties only, an application to join and an obstacle."""
    from imvo.covenants.services import governance, membership, parties

    x = w.covenant_x
    body = governance.check_create_body(w.secretariat_x, x, "Stuurgroep", "Steering group")
    seat = governance.check_add_seat(w.secretariat_x, body, "business", w.company_a)
    meeting = governance.check_schedule_meeting(
        w.secretariat_x, body, timezone.localdate() - timedelta(days=7)
    )
    governance.check_record_minutes(w.secretariat_x, meeting, SECRET_A, SECRET_A)
    decision = governance.check_record_decision(
        w.secretariat_x, body, "Besluit", "Decision", meeting=meeting, visibility="parties"
    )
    application = membership.check_apply(
        x, "Applicant B.V.", "Ann Applicant", "ann@example.org", conditions_accepted=True
    )
    obstacle = parties.check_raise_obstacle(
        w.member_a, x, "ET", "Union access", "Parks bar unions.", "Raise it with the ministry."
    )
    item = governance.check_add_agenda_item(
        w.secretariat_x, meeting, "Stuk", "Paper", paper_upload=("plan.pdf", one_page_pdf())
    )
    signal = _signal(w)
    return {
        "paper": item.pk,
        "signal": signal,
        "body": body.pk,
        "seat": seat.pk,
        "meeting": meeting.pk,
        "decision": decision.pk,
        "application": application.pk,
        "obstacle": obstacle.pk,
    }


def _signal(w: World) -> int:
    """A union's signal about a location, passed to company A, with A's confidential answer."""
    from imvo.parties.models import Signal, SignalForwarding, SignalResponse
    from imvo.testing import adhere, make_org

    union = make_org("Matrix Signal Union", type="union")
    adhere(w.covenant_x, union)
    s = Signal.objects.create(
        covenant=w.covenant_x, raised_by=union, location="Mill", country="BD", title="t",
        description="d",
    )  # fmt: skip
    SignalForwarding.objects.create(signal=s, organisation=w.company_a)
    SignalResponse.objects.create(signal=s, organisation=w.company_a, text=SECRET_A)
    return s.pk


def _regulation_objects(w: World, sub: Any) -> tuple[int, int, str]:
    """An engagement entry of company A naming a union, a filed ESRS S2 draft, and the
    secret link of a supplier questionnaire."""
    from datetime import date

    from imvo.regulation.services import engagement, exports, suppliers
    from imvo.testing import adhere, make_org

    union = make_org("Matrix Union", type="union")
    adhere(w.covenant_x, union)
    entry = engagement.check_record(
        w.member_a, w.covenant_x, when=date(2025, 3, 1), kind="union", stakeholder="Matrix Union",
        method="meeting", topic=SECRET_A + " consultation", stakeholder_organisation=union.pk,
    )  # fmt: skip
    doc = exports.check_esrs_draft(w.member_a, sub.pk, "json")
    request = suppliers.check_create(w.member_a, w.covenant_x, "Matrix Supplier", 200)
    return entry.pk, doc.pk, request.token


# --- the matrix ------------------------------------------------------------------------


def codes(spec: str) -> dict[str, int | None]:
    """'302 200 404 ...' in ROLES order; '-' leaves a role out (its request would change data)."""
    values = [None if v == "-" else int(v) for v in spec.split()]
    assert len(values) == len(ROLES), spec
    return dict(zip(ROLES, values, strict=True))


# Sent by the POSTs of roles that may not use a page: fields the apps' forms read, so
# that a view missing its check would act (and the captured SQL would show its writes).
GENERIC_POST = {
    "action": "move", "to_state": "acknowledged", "reason": "x", "do": "install",
    "template": "garment", "text": "x", "name": "x", "title": "x", "key": "intro",
    "what": "x", "owner": "x", "target": "x", "progress": "50", "decision": "sufficient",
}  # fmt: skip
DENIED = {302, 401, 403, 404, 405}
REFUSED = DENIED | {400}  # 400: the service refused it (a DomainError)


@dataclass
class Row:
    url: str  # with {placeholders} from build_objects
    expect: str  # one status per role, in ROLES order
    # Roles (ROLES names, space separated) that may see the marker; "-": no one may.
    sees: str = ""
    marker: str = SECRET_A
    method: str = "GET"
    body: Any = None  # a callable makes a fresh body per request (uploads are read once)
    multipart: bool = False


def upload_body() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"Factory name,Address,Country\nMatrix Mill,Road 1 Gazipur,BD\n"
    return {"covenant": "covenant-x", "year": "2025", "file": SimpleUploadedFile("l.csv", data)}


# fmt: off
#                                                                                                      anon a   b   sx  sy  cx  rx  adm
MATRIX: dict[str, Row] = {
    "home":                          Row("/",                                                         "200 200 200 200 200 200 200 200"),
    "health":                        Row("/health/",                                                  "200 200 200 200 200 200 200 200"),
    "health-live":                   Row("/health/live/",                                             "200 200 200 200 200 200 200 200"),
    "health-ready":                  Row("/health/ready/",                                            "200 200 200 200 200 200 200 200"),
    "api:openapi-json":              Row("/api/openapi.json",                                         "200 200 200 200 200 200 200 200"),
    "api:openapi-view":              Row("/api/docs",                                                 "200 200 200 200 200 200 200 200"),
    "covenants:detail":              Row("/covenants/{slug}/",                                        "200 200 200 200 200 200 200 200"),
    "covenants:manage_index":        Row("/manage/",                                                  "302 403 403 200 200 403 403 200"),
    "covenants:create":              Row("/manage/new/",                                              "302 403 403 200 200 403 403 200"),
    "covenants:manage":              Row("/manage/{slug}/",                                           "302 404 404 200 404 404 404 200"),
    "covenants:edit":                Row("/manage/{slug}/edit/",                                      "302 404 404 200 404 404 404 200"),
    "covenants:organisation_add":    Row("/manage/{slug}/organisations/new/",                         "302 404 404 200 404 404 404 200"),
    "covenants:adherence_add":       Row("/manage/{slug}/adherences/new/",                            "302 404 404 200 404 404 404 200"),
    "covenants:adherence_change":    Row("/manage/{slug}/adherences/{adherence}/",                    "302 404 404 200 404 404 404 200"),
    "covenants:agreement_add":       Row("/manage/{slug}/agreements/new/",                            "302 404 404 200 404 404 404 200"),
    "covenants:agreement_edit":      Row("/manage/{slug}/agreements/{agreement}/",                    "302 404 404 200 404 404 404 200"),
    "covenants:measurement_add":     Row("/manage/{slug}/agreements/{agreement}/measurements/new/",   "302 404 404 200 404 404 404 200"),
    "covenants:step_edit":           Row("/manage/{slug}/steps/{step}/",                              "302 404 404 200 404 404 404 200"),
    "covenants:my_organisation":     Row("/organisation/",                                            "302 200 200 404 404 404 404 404"),
    "covenants:governance":          Row("/covenants/{slug}/governance/",                             "200 200 200 200 200 200 200 200"),
    "covenants:meeting":             Row("/covenants/{slug}/meetings/{meeting}/",                     "404 200 200 200 404 404 404 200", sees="member_a secretariat_x admin"),
    "covenants:decision":            Row("/covenants/{slug}/decisions/{decision}/",                   "404 200 200 200 404 404 404 200"),
    "covenants:manage_governance":   Row("/manage/{slug}/governance/",                                "302 404 404 200 404 404 404 200"),
    "covenants:body_add":            Row("/manage/{slug}/bodies/new/",                                "302 404 404 200 404 404 404 200"),
    "covenants:seat_add":            Row("/manage/{slug}/bodies/{body}/seats/new/",                   "302 404 404 200 404 404 404 200"),
    "covenants:seat_remove":         Row("/manage/{slug}/seats/{seat}/remove/",                       "302 404 404 -   404 404 404 -", method="POST"),
    "covenants:meeting_add":         Row("/manage/{slug}/bodies/{body}/meetings/new/",                "302 404 404 200 404 404 404 200"),
    "covenants:meeting_manage":      Row("/manage/{slug}/meetings/{meeting}/",                        "302 404 404 200 404 404 404 200"),
    "covenants:decision_add":        Row("/manage/{slug}/bodies/{body}/decisions/new/",               "302 404 404 200 404 404 404 200"),
    "covenants:apply":               Row("/covenants/{slug}/apply/",                                  "200 200 200 200 200 200 200 200"),
    "covenants:applications":        Row("/manage/{slug}/applications/",                              "302 404 404 200 404 404 404 200", sees="secretariat_x admin", marker="Applicant B.V."),
    "covenants:application_decide":  Row("/manage/{slug}/applications/{application}/",                "302 404 404 200 404 404 404 200"),
    "covenants:workspace":           Row("/parties/",                                                 "302 200 200 404 404 404 404 404"),
    "covenants:obstacles":           Row("/parties/{slug}/obstacles/",                                "302 200 200 200 404 404 404 200"),
    "covenants:obstacle":            Row("/parties/{slug}/obstacles/{obstacle}/",                     "302 200 200 200 404 404 404 200"),
    "covenants:remind":              Row("/parties/{slug}/remind/",                                   "302 404 404 404 404 404 404 404"),
    "covenants:paper_file":          Row("/covenants/{slug}/papers/{paper}/",                         "404 200 404 200 404 404 404 200"),
    "parties:signals":               Row("/parties/signals/",                                         "302 200 200 200 200 200 200 200"),
    "parties:signal":                Row("/parties/signals/{signal}/",                                "302 200 404 200 404 404 404 200", sees="member_a secretariat_x admin"),
    "parties:signal_new":            Row("/parties/{slug}/signals/new/",                              "302 404 404 404 404 404 404 404"),
    "parties:locations":             Row("/parties/{slug}/locations/",                                "302 404 404 200 404 404 404 200"),
    "covenants:kpis":                Row("/parties/{slug}/kpis/",                                     "302 200 200 200 404 404 404 200"),
    "accounts:login":                Row("/accounts/login/",                                          "200 302 302 302 302 302 302 302"),
    "accounts:verify":               Row("/accounts/login/verify/",                                   "302 302 302 302 302 302 302 302"),
    "accounts:logout":               Row("/accounts/logout/",                                         "302 -   -   -   -   -   -   -", method="POST"),
    "accounts:two_factor":           Row("/accounts/two-factor/",                                     "302 200 200 200 200 200 200 200"),
    "accounts:home":                 Row("/accounts/",                                                "302 200 200 200 200 200 200 200"),
    "accounts:invite":               Row("/accounts/invite/",                                         "302 403 403 200 200 403 403 200"),
    "accounts:lockouts":             Row("/accounts/locked/",                                         "302 403 403 200 200 403 403 200"),
    "accounts:accept_invitation":    Row("/accounts/invitation/MQ/not-a-token/",                      "200 200 200 200 200 200 200 200"),
    "accounts:password_reset":       Row("/accounts/password-reset/",                                 "200 200 200 200 200 200 200 200"),
    "accounts:password_reset_done":  Row("/accounts/password-reset/sent/",                            "200 200 200 200 200 200 200 200"),
    "accounts:password_reset_confirm": Row("/accounts/password-reset/MQ/not-a-token/",                "200 200 200 200 200 200 200 200"),
    "accounts:password_reset_complete": Row("/accounts/password-reset/done/",                         "200 200 200 200 200 200 200 200"),
    "risk:dashboard":                Row("/risk/",                                                    "302 200 200 404 404 404 404 404"),
    "risk:sourcing_delete":          Row("/risk/sourcing/{sourcing}/delete/",                         "302 302 404 404 404 404 404 404"),
    "risk:register":                 Row("/risk/register/",                                           "302 200 200 404 404 404 404 404", sees="member_a"),
    "risk:entry":                    Row("/risk/register/{entry}/",                                   "302 200 404 404 404 404 404 200"),
    "risk:method":                   Row("/risk/method/",                                             "200 200 200 200 200 200 200 200"),
    "risk:covenant":                 Row("/risk/covenant/{slug}/",                                    "302 404 404 200 404 404 404 200"),
    "duediligence:index":            Row("/due-diligence/",                                           "302 200 200 200 200 200 200 200", sees="member_a", marker="/due-diligence/submissions/{submission}/"),
    "duediligence:start":            Row("/due-diligence/c/{slug}/start/",                            "302 -   -   404 404 404 404 404", method="POST"),
    "duediligence:plan":             Row("/due-diligence/c/{slug}/plan/",                             "302 200 200 404 404 404 404 404", sees="member_a"),
    "duediligence:case_new":         Row("/due-diligence/c/{slug}/cases/new/",                        "302 200 200 404 404 404 404 404"),
    "duediligence:case":             Row("/due-diligence/c/{slug}/cases/{ddcase}/",                   "302 200 404 404 404 404 404 404"),
    "duediligence:queue":            Row("/due-diligence/c/{slug}/queue/",                            "302 404 404 200 404 404 404 200"),
    "duediligence:remind":           Row("/due-diligence/c/{slug}/remind/",                           "302 404 404 -   404 404 404 -", method="POST"),
    "duediligence:figures":          Row("/due-diligence/c/{slug}/figures/",                          "302 404 404 200 404 404 404 200"),
    "duediligence:export":           Row("/due-diligence/c/{slug}/export.csv",                        "302 404 404 200 404 404 404 200"),
    "duediligence:escalation":       Row("/due-diligence/c/{slug}/escalation/",                       "302 404 404 200 404 404 404 200"),
    "duediligence:framework":        Row("/due-diligence/c/{slug}/framework/",                        "302 404 404 200 404 404 404 200"),
    "duediligence:submission":       Row("/due-diligence/submissions/{submission}/",                  "302 200 404 200 404 404 404 200"),
    "duediligence:version":          Row("/due-diligence/submissions/{submission}/versions/1/",       "302 200 404 200 404 404 404 200"),
    "duediligence:start_review":     Row("/due-diligence/submissions/{submission}/start-review/",     "302 404 404 -   404 404 404 -", method="POST"),
    "duediligence:review":           Row("/due-diligence/submissions/{submission}/review/",           "302 404 404 -   404 404 404 -", method="POST"),
    "duediligence:letter":           Row("/due-diligence/submissions/{submission}/letter.pdf",        "302 302 404 302 404 404 404 302"),
    "duediligence:action":           Row("/due-diligence/actions/{action}/",                          "302 200 404 200 404 404 404 200"),
    "duediligence:evidence":         Row("/due-diligence/evidence/{progress}/",                       "302 200 404 200 404 404 404 200"),
    "complaints:new":                Row("/complaints/new/",                                          "200 200 200 200 200 200 200 200"),
    "complaints:follow":             Row("/complaints/follow/",                                       "200 200 200 200 200 200 200 200"),
    # The receipt code is the complainant's only credential: whoever posts it gets
    # their own file, account or not (complaints/tests/test_own_files.py: no other's).
    "complaints:follow_file":        Row("/complaints/follow/file/",                                  "200 200 200 200 200 200 200 200", method="POST", body={"receipt": "{receipt}", "file": "{own_file}"}),
    "complaints:figures":            Row("/complaints/figures/",                                      "200 200 200 200 200 200 200 200"),
    "complaints:figures_covenant":   Row("/complaints/figures/{slug}/",                               "200 200 200 200 200 200 200 200"),
    "complaints:outcomes":           Row("/complaints/outcomes/",                                     "200 200 200 200 200 200 200 200"),
    "complaints:register":           Row("/complaints/register/{slug}/",                              "200 200 200 200 200 200 200 200"),
    "complaints:cases":              Row("/complaints/cases/",                                        "302 200 200 200 200 200 200 200", sees="secretariat_x committee_x recused_committee_x", marker="{reference}"),
    "complaints:case":               Row("/complaints/cases/{complaint}/",                            "302 404 404 200 404 200 403 404"),
    "complaints:evidence":           Row("/complaints/cases/{complaint}/evidence/{evidence}/",        "302 404 404 200 404 200 403 404"),
    "complaints:shared_file":        Row("/complaints/cases/{answered}/shared/1/",                    "302 200 404 404 404 404 403 404"),
    "complaints:answer_file":        Row("/complaints/cases/{answered}/answers/{answer_file}/",       "302 200 404 200 404 200 403 404"),
    "complaints:overdue":            Row("/complaints/overdue/",                                      "302 200 200 200 200 200 200 200", sees="-", marker="{reference}"),
    "complaints:committee":          Row("/complaints/committee/{slug}/",                             "302 404 404 200 404 200 200 404"),
    # Only a union's or NGO's users file on behalf of workers (none of these roles is one;
    # complaints/tests/test_on_behalf.py asks as a union, an NGO and another union).
    "complaints:on_behalf":          Row("/complaints/on-behalf/",                                    "302 403 403 403 403 403 403 403"),
    "reporting:index":               Row("/reports/",                                                 "200 200 200 200 200 200 200 200"),
    "reporting:overview":            Row("/reports/dashboard/",                                       "200 200 200 200 200 200 200 200"),
    "reporting:dashboard":           Row("/reports/dashboard/{slug}/",                                "200 200 200 200 200 200 200 200"),
    "library:index":                 Row("/reports/library/",                                         "200 200 200 200 200 200 200 200"),
    "library:new":                   Row("/reports/library/new/",                                     "302 200 200 200 200 404 404 200"),
    "library:detail":                Row("/reports/library/{item}/",                                  "200 200 200 200 200 200 200 200"),
    "library:attachment":            Row("/reports/library/file/{attachment}/",                       "200 200 200 200 200 200 200 200"),
    "reporting:open_data":           Row("/reports/open-data/",                                       "200 200 200 200 200 200 200 200"),
    "reporting:open_data_table":     Row("/reports/open-data/{open_table}.csv",                       "200 200 200 200 200 200 200 200"),
    "reporting:report":              Row("/reports/{slug}/2025/",                                     "200 200 200 200 200 200 200 200"),
    "reporting:report_version":      Row("/reports/{slug}/2025/v1/",                                  "200 200 200 200 200 200 200 200"),
    "reporting:report_pdf":          Row("/reports/{slug}/2025/report.pdf",                           "200 200 200 200 200 200 200 200"),
    "reporting:draft":               Row("/reports/{slug}/2025/draft/",                               "302 404 404 200 404 404 404 200"),
    "reporting:draft_pdf":           Row("/reports/{slug}/2025/draft.pdf",                            "302 404 404 200 404 404 404 200"),
    "reporting:section_text":        Row("/reports/{slug}/2025/draft/text/",                          "302 404 404 -   404 404 404 -", method="POST"),
    "reporting:publish":             Row("/reports/{slug}/2025/publish/",                             "302 404 404 -   404 404 404 -", method="POST"),
    "regulation:index":              Row("/regulation/",                                              "302 200 200 200 200 200 200 200"),
    "regulation:mapping":            Row("/regulation/c/{slug}/mapping/",                             "302 404 404 200 404 404 404 200"),
    "regulation:engagement":         Row("/regulation/c/{slug}/engagement/",                          "302 200 200 404 404 404 404 404", sees="member_a"),
    "regulation:plots":              Row("/regulation/c/{slug}/plots/",                               "302 200 200 404 404 404 404 404"),
    "regulation:plots_geojson":      Row("/regulation/c/{slug}/plots.geojson",                        "302 302 302 404 404 404 404 404"),
    "regulation:forced_labour":      Row("/regulation/c/{slug}/forced-labour/",                       "302 200 200 404 404 404 404 404"),
    "regulation:suppliers":          Row("/regulation/c/{slug}/suppliers/",                           "302 200 200 404 404 404 404 404", sees="member_a", marker="Matrix Supplier"),
    "regulation:supplier_form":      Row("/regulation/supplier/{supplier_token}/",                    "200 200 200 200 200 200 200 200"),
    "regulation:confirm":            Row("/regulation/engagement/{reg_entry}/confirm/",               "302 404 404 404 404 404 404 404", method="POST"),
    "regulation:esrs":               Row("/regulation/submissions/{submission}/esrs-s2.json",         "302 200 404 200 404 404 404 200"),
    "regulation:pack":               Row("/regulation/submissions/{submission}/csddd-pack.zip",       "302 200 404 200 404 404 404 200"),
    "regulation:document":           Row("/regulation/documents/{regdoc}/",                           "302 200 404 200 404 404 404 200"),
    "supplychain:index":             Row("/supply-chain/",                                            "302 200 200 200 200 200 200 200", sees="member_a secretariat_x admin", marker="suppliers.csv"),
    "supplychain:upload":            Row("/supply-chain/upload/",                                     "302 200 200 404 404 404 404 404"),
    "supplychain:list":              Row("/supply-chain/lists/{supplier_list}/",                      "302 200 404 200 404 404 404 200"),
    "supplychain:progress":          Row("/supply-chain/lists/{supplier_list}/progress/",             "302 200 404 200 404 404 404 200"),
    "supplychain:mapping":           Row("/supply-chain/lists/{supplier_list}/mapping/",              "302 200 404 403 404 404 404 403"),
    "supplychain:rerun":             Row("/supply-chain/lists/{supplier_list}/run-again/",            "302 -   404 403 404 404 404 403", method="POST"),
    "supplychain:confirm":           Row("/supply-chain/lists/{supplier_list}/confirm/",              "302 -   404 403 404 404 404 403", method="POST"),
    "supplychain:disclosure":        Row("/supply-chain/disclosures/{disclosure}/",                   "302 200 404 200 404 404 404 200", sees="member_a secretariat_x admin", marker="suppliers.csv"),
    "supplychain:rows":              Row("/supply-chain/lists/{supplier_list}/rows/",                 "302 200 404 200 404 404 404 200", sees="member_a secretariat_x admin"),
    "supplychain:pending":           Row("/supply-chain/lists/{supplier_list}/decisions/",            "302 200 404 200 404 404 404 200", sees="member_a secretariat_x admin"),
    "supplychain:export":            Row("/supply-chain/lists/{supplier_list}/processed.csv",         "302 200 404 200 404 404 404 200"),
    "supplychain:errors":            Row("/supply-chain/lists/{supplier_list}/errors.csv",            "302 200 404 200 404 404 404 200"),
    "supplychain:original":          Row("/supply-chain/lists/{supplier_list}/original",              "302 200 404 200 404 404 404 200"),
    "supplychain:decide":            Row("/supply-chain/matches/{match}/decide/",                     "302 -   404 403 404 404 404 403", method="POST"),
    "supplychain:review":            Row("/supply-chain/review/",                                     "302 200 200 200 200 200 200 200", sees="member_a secretariat_x admin"),
    "supplychain:why":               Row("/supply-chain/matches/{match}/why/",                        "302 200 404 200 404 404 404 200", sees="member_a secretariat_x admin"),
    "supplychain:shared":            Row("/supply-chain/shared/{slug}/",                              "302 200 200 200 404 404 404 200", sees="-", marker="Company A"),
    "supplychain:public":            Row("/supply-chain/public/{slug}/",                              "200 200 200 200 200 200 200 200", sees="-", marker="Company A"),
    "supplychain:public_map":        Row("/supply-chain/public/{slug}/map/",                          "200 200 200 200 200 200 200 200", sees="-", marker="Company A"),
    "supplychain:publication":       Row("/supply-chain/publication/{slug}/",                         "302 404 404 200 404 404 404 200"),
    "collective:index":              Row("/collective/",                                              "302 200 200 200 200 200 200 200", sees="member_a secretariat_x admin"),
    "collective:leverage":           Row("/collective/leverage/{facility}/",                          "302 200 404 404 404 404 404 404"),
    "collective:propose":            Row("/collective/propose/",                                      "302 200 200 200 200 404 404 200"),
    "collective:action":             Row("/collective/actions/{joint_action}/",                       "302 200 404 200 404 404 404 200", sees="member_a secretariat_x admin"),
    "collective:item":               Row("/collective/items/{cap_item}/",                             "302 -   404 -   404 404 404 -", method="POST"),
    "collective:public":             Row("/collective/public/{slug}/",                                "200 200 200 200 200 200 200 200", sees="-", marker="Company A"),
    "collective:plan_links":         Row("/collective/plan/{action}/",                                "302 200 404 404 404 404 404 404", sees="member_a"),
    "collective:kpis":               Row("/collective/kpi/{slug}/",                                   "302 404 404 200 404 404 404 200", sees="-"),
}
API_MATRIX: dict[str, Row] = {
#                                                                                                              anon a   b   sx  sy  cx  rx  adm
    "GET /api/me":                                       Row("/api/me",                                       "401 200 200 200 200 200 200 200"),
    "GET /api/covenants":                                Row("/api/covenants",                                "200 200 200 200 200 200 200 200"),
    "GET /api/covenants/{key}":                          Row("/api/covenants/{slug}",                         "200 200 200 200 200 200 200 200"),
    "POST /api/agreements/{agreement_id}/measurements":  Row("/api/agreements/{agreement}/measurements",      "401 403 403 -   403 403 403 -", method="POST", body={"date": "2025-06-30", "value": "55", "source": "matrix"}),
    "GET /api/risk/sources":                             Row("/api/risk/sources",                             "200 200 200 200 200 200 200 200"),
    "POST /api/risk/scan":                               Row("/api/risk/scan",                                "200 200 200 200 200 200 200 200", method="POST", body=[{"country": "BD", "sector": "garment"}]),
    "GET /api/risk/my-scan":                             Row("/api/risk/my-scan",                             "401 200 200 404 404 404 404 404"),
    "GET /api/risk/register":                            Row("/api/risk/register",                            "401 200 200 404 404 404 404 404", sees="member_a"),
    "GET /api/risk/register/{entry_id}":                 Row("/api/risk/register/{entry}",                    "401 200 404 404 404 404 404 200"),
    "GET /api/due-diligence/submissions":                Row("/api/due-diligence/submissions",                "401 200 200 200 200 200 200 200", sees="member_a secretariat_x admin", marker='"id": {submission},'),
    "GET /api/due-diligence/submissions/{pk}":           Row("/api/due-diligence/submissions/{submission}",   "401 200 404 200 404 404 404 200"),
    "POST /api/due-diligence/submissions/{pk}/answers":  Row("/api/due-diligence/submissions/{submission}/answers", "401 400 404 400 404 404 404 400", method="POST", body={"answers": [{"question": "grievance", "value": "yes"}]}),
    "GET /api/due-diligence/covenants/{slug}/figures":   Row("/api/due-diligence/covenants/{slug}/figures",   "401 404 404 200 404 404 404 200"),
    "POST /api/complaints":                              Row("/api/complaints",                               "201 -   -   -   -   -   -   -", method="POST", body={"covenant": "covenant-x", "description": "Wages unpaid for two months."}),
    "GET /api/complaints/mine":                          Row("/api/complaints/mine",                          "404 404 404 404 404 404 404 404"),
    "GET /api/reports":                                  Row("/api/reports",                                  "200 200 200 200 200 200 200 200"),
    "GET /api/reports/{covenant}/{year}":                Row("/api/reports/{slug}/2025",                      "200 200 200 200 200 200 200 200"),
    "GET /api/open-data":                                Row("/api/open-data",                                "200 200 200 200 200 200 200 200"),
    "GET /api/open-data/{name}":                         Row("/api/open-data/{open_table}",                   "200 200 200 200 200 200 200 200"),
    "GET /api/learning":                                 Row("/api/learning",                                 "200 200 200 200 200 200 200 200"),
    "POST /api/supplier-lists":                          Row("/api/supplier-lists",                           "401 -   -   403 403 403 403 403", method="POST", multipart=True, body=upload_body),
    "GET /api/supplier-lists":                           Row("/api/supplier-lists",                           "401 200 200 200 200 200 200 200", sees="member_a secretariat_x admin", marker='"id": {supplier_list},'),
    "GET /api/supplier-lists/{list_id}":                 Row("/api/supplier-lists/{supplier_list}",           "401 200 404 200 404 404 404 200"),
    "GET /api/supplier-lists/{list_id}/preview":         Row("/api/supplier-lists/{supplier_list}/preview",   "401 409 404 409 404 404 404 409"),
    "POST /api/supplier-lists/{list_id}/confirm":        Row("/api/supplier-lists/{supplier_list}/confirm",   "401 400 404 403 404 404 404 403", method="POST"),
    "GET /api/supplier-lists/{list_id}/rows":            Row("/api/supplier-lists/{supplier_list}/rows",      "401 200 404 200 404 404 404 200", sees="member_a secretariat_x admin"),
    "GET /api/public/production-locations/{covenant}":   Row("/api/public/production-locations/{slug}",       "200 200 200 200 200 200 200 200", sees="-", marker="Company A"),
}
# fmt: on


# Writes a refused request may make: its own bookkeeping, not the data it asked to change.
BOOKKEEPING = ("complaints_auditentry", "accounts_apitoken", "django_session", "axes_")


def data_writes(queries: list[dict[str, str]]) -> list[str]:
    """The INSERT/UPDATE/DELETE statements among ``queries`` that touch the platform's data."""
    writes = []
    for q in queries:
        sql = q["sql"].lstrip()
        head = sql.split("(", 1)[0].replace('"', "").replace("`", "")
        is_write = head.split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
        if is_write and not any(t in head for t in BOOKKEEPING):
            writes.append(sql[:120])
    return writes


def _clients(w: World) -> dict[str, Client]:
    out = {}
    for role, user in w.personas().items():
        c = Client(HTTP_ACCEPT_LANGUAGE="en")
        if role != "anonymous":
            c.force_login(user)
        out[role] = c
    return out


def _content(r: Any) -> str:
    if getattr(r, "streaming", False):
        return str(b"".join(r.streaming_content).decode(errors="replace"))
    return str(r.content.decode(errors="replace"))


@pytest.fixture
def matrix_world(db, settings, tmp_path, monkeypatch):
    from django.core.cache import cache

    from imvo.complaints import crypto

    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("IMVO_COMPLAINTS_KEY_FILE", str(tmp_path / "keys" / "complaints.key"))
    crypto.forget_keys()
    cache.clear()
    w = build_world()
    objs = build_objects(w)
    yield w, objs
    crypto.forget_keys()


def _request(client: Client, url: str, token: str | None, method: str, body: Any) -> Any:
    headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if callable(body):
        return client.post(url, body(), **headers)  # multipart form with a file
    if method == "GET":
        return client.get(url, **headers)
    if url.startswith("/api/"):
        data = json.dumps(body)
        return client.generic(method, url, data, content_type="application/json", **headers)
    return client.post(url, body, **headers)


def _ask(
    problems: list[str], client: Client, key: str, row: Row, url: str, method: str,
    role: str, expected: int, token: str | None, body: dict[str, Any],
) -> Any:  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        r = _request(client, url, token, method, body)
    where = f"{method} {url} [{key}] as {role}"
    if r.status_code != expected:
        problems.append(f"{where}: expected {expected}, got {r.status_code}")
    elif (
        expected == 302
        and role == "anonymous"
        and not url.startswith("/accounts/")
        and "/accounts/login/" not in r["Location"]
    ):
        problems.append(f"{where}: redirected to {r['Location']}, not to the login page")
    writes = data_writes(ctx.captured_queries)
    if method != "GET" and expected in REFUSED and writes:
        problems.append(f"{where}: refused ({r.status_code}) but it wrote: {writes[0]}")
    return r


def run_matrix(w: World, objs: dict[str, Any]) -> list[str]:
    """Ask every row as every role; return one line per disagreement."""
    clients = _clients(w)
    fill = {k: v for k, v in objs.items() if k != "tokens"}
    problems: list[str] = []
    rows = [(k, r, False) for k, r in MATRIX.items()]
    rows += [(k, r, True) for k, r in API_MATRIX.items()]
    for key, row, is_api in rows:
        url = row.url.format(**fill)
        sees = set(row.sees.split())
        for role, expected in codes(row.expect).items():
            if expected is None:
                continue
            # API operations authenticate by token, never by the session cookie.
            client = Client(HTTP_ACCEPT_LANGUAGE="en") if is_api else clients[role]
            token = objs["tokens"].get(role) if is_api else None
            body = row.body or ({} if is_api else GENERIC_POST)
            if not is_api and isinstance(body, dict):  # a page's form may name the objects
                body = {k: v.format(**fill) if isinstance(v, str) else v for k, v in body.items()}
            r = _ask(problems, client, key, row, url, row.method, role, expected, token, body)
            if row.sees and r.status_code == 200:
                shown = row.marker.format(**fill) in _content(r)
                if shown and role not in sees:
                    problems.append(f"{row.method} {url} [{key}] as {role}: shows company A's data")
                if not shown and role in sees:
                    problems.append(
                        f"{row.method} {url} [{key}] as {role}: company A's data missing"
                    )
            refused = expected in DENIED and expected != 405
            if expected == 302 and role != "anonymous":
                refused = False  # a page's own redirect (e.g. back with a message): not a refusal
            if is_api and role != "anonymous" and codes(row.expect)["anonymous"] == 401:
                # A browser session is no API credential: only the token is (no CSRF route).
                _ask(problems, clients[role], key, row, url, row.method, role, 401, None, body)
            if row.method == "GET" and not is_api and refused:
                # Whoever may not read a page may not post to it either.
                _ask(problems, client, key, row, url, "POST", role, expected, None, body)
    return problems


def missing_rows() -> list[str]:
    """Routes of the site without a matrix row, and rows for routes that are gone."""
    pages, ops = set(site_routes()), api_operations()
    return (
        [f"page without a row: {n}" for n in sorted(pages - set(MATRIX))]
        + [f"row for no page: {n}" for n in sorted(set(MATRIX) - pages)]
        + [f"API operation without a row: {n}" for n in sorted(ops - set(API_MATRIX))]
        + [f"row for no API operation: {n}" for n in sorted(set(API_MATRIX) - ops)]
    )


def test_matrix_covers_every_route() -> None:
    """A new page or API operation fails here until it has its row in the matrix."""
    problems = missing_rows()
    assert not problems, "the access matrix is out of date:\n" + "\n".join(problems)


def test_a_new_page_without_a_row_is_caught(settings) -> None:
    import sys
    import types

    from django.http import HttpResponse
    from django.urls import path

    import imvo.urls

    extra = types.ModuleType("imvo_matrix_extra_urls")
    extra.urlpatterns = [  # type: ignore[attr-defined]
        *imvo.urls.urlpatterns,
        path("brand-new/", lambda request: HttpResponse("x"), name="brand_new"),
    ]
    sys.modules[extra.__name__] = extra
    try:
        settings.ROOT_URLCONF = extra.__name__
        assert missing_rows() == ["page without a row: brand_new"]
    finally:
        del sys.modules[extra.__name__]


def test_the_write_detector_sees_real_writes(db) -> None:
    from imvo.testing import make_org

    with CaptureQueriesContext(connection) as ctx:
        make_org("Written").delete()
    assert len(data_writes(ctx.captured_queries)) >= 2
    assert data_writes([{"sql": 'UPDATE "accounts_apitoken" SET "last_used" = 1'}]) == []


def test_access_matrix(matrix_world) -> None:
    w, objs = matrix_world
    problems = run_matrix(w, objs)
    assert not problems, f"{len(problems)} access-matrix disagreements:\n" + "\n".join(problems)
