"""Every party has its place: what each kind of party does under the covenant.

A party's workspace shows, per covenant it takes part in, its own commitments
(agreements it owns, with the KPI progress), its seats in governance bodies,
the coming meetings and the decisions it may read, and the tools its kind of
party has: a union or NGO raises obstacles and follows the sector's risks; a
government party handles the obstacles register; a branch organisation
follows its own members and reminds them. A party never gets another party's
tools (company tools stay with companies).

The obstacles register: any party raises an obstacle that needs government
action; the government party accepts it and assigns it (a ministry, an
embassy), reports actions and closes it with a result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.countries import is_code
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import (
    Adherence,
    Agreement,
    Covenant,
    Decision,
    KpiComment,
    KpiMeasurement,
    Meeting,
    Obstacle,
    ObstacleAction,
    Organisation,
    Seat,
    Theme,
)
from imvo.covenants.services import KpiProgress, kpi_progress, require_themes_of
from imvo.covenants.services.governance import Audience, audience, upcoming_meetings

T = Organisation.Type
CURRENT = (Adherence.Status.ACTIVE, Adherence.Status.SUSPENDED)


def own_organisation(user: AnyUser) -> Organisation | None:
    oid = roles.organisation_id(user)
    return Organisation.objects.filter(pk=oid).first() if oid else None


def active_adherence(user: AnyUser, covenant: Covenant) -> Adherence | None:
    """How the user's organisation takes part in the covenant now (party or
    stakeholder, with its organisation read along), or None: it has no
    organisation, never adhered, or is suspended or withdrawn."""
    oid = roles.organisation_id(user)
    if oid is None:
        return None
    return (
        Adherence.objects.filter(
            covenant=covenant, organisation_id=oid, status=Adherence.Status.ACTIVE
        )
        .select_related("organisation")
        .first()
    )


def is_government(user: AnyUser) -> bool:
    org = own_organisation(user)
    return org is not None and org.type == T.GOVERNMENT


@dataclass(frozen=True)
class Place:
    """One organisation's place in one covenant."""

    covenant: Covenant
    adherence: Adherence
    commitments: list[tuple[Agreement, KpiProgress]]
    seats: list[Seat]
    meetings: list[Meeting]
    decisions: list[Decision]
    members: list[Adherence] = field(default_factory=list)  # a branch organisation's own members
    open_obstacles: int = 0


def places(user: AnyUser) -> list[Place]:
    """The user's organisation's place in every covenant it takes part in.

    Reads a fixed number of queries whatever the number of covenants (a union
    such as FNV takes part in nine): each kind of row is read once for all the
    covenants and grouped here, not asked per covenant."""
    org = own_organisation(user)
    if org is None:
        return []
    adherences = list(
        Adherence.objects.filter(organisation=org, status__in=CURRENT)
        .select_related("covenant")
        .order_by("covenant__name_en")
    )
    if not adherences:
        return []
    cids = [a.covenant_id for a in adherences]
    owned: dict[int, list[Agreement]] = defaultdict(list)
    for a in (
        Agreement.objects.filter(covenant_id__in=cids, owners=org)
        .order_by("covenant_id", "number", "id")
        .prefetch_related(
            Prefetch("measurements", queryset=KpiMeasurement.objects.order_by("date")),
            Prefetch("comments", queryset=KpiComment.objects.select_related("organisation")),
        )
    ):
        owned[a.covenant_id].append(a)
    seats: dict[int, list[Seat]] = defaultdict(list)
    for s in Seat.objects.filter(body__covenant_id__in=cids, organisation=org).select_related(
        "body"
    ):
        seats[s.body.covenant_id].append(s)
    # The bodies its seats open: those whose term runs (as `audience`, T86); a seat
    # whose term ended is still listed, marked "term ended".
    running: dict[int, set[int]] = defaultdict(set)
    for cid, body_id in (
        Seat.objects.running()
        .filter(body__covenant_id__in=cids, organisation=org)
        .values_list("body__covenant_id", "body_id")
    ):
        running[cid].add(body_id)
    body_ids = set().union(*running.values())
    meetings: dict[int, list[Meeting]] = defaultdict(list)
    for m in upcoming_meetings(body_ids):
        if len(meetings[m.body.covenant_id]) < 5:
            meetings[m.body.covenant_id].append(m)
    # Who reads which decision: the same rule as `audience`, for all covenants at once
    # (this organisation is a party to each; its seats give it the bodies' papers).
    managed = roles.managed_covenant_ids(user) | (
        set(cids) if roles.is_platform_admin(user) else set()
    )
    readable = Q(pk__in=[])
    for cid in cids:
        aud = Audience(cid in managed, True, frozenset(running.get(cid, ())))
        readable |= Q(covenant_id=cid) & aud.visibility_q()
    decisions: dict[int, list[Decision]] = defaultdict(list)
    for d in Decision.objects.filter(readable).select_related("body"):
        if len(decisions[d.covenant_id]) < 5:
            decisions[d.covenant_id].append(d)
    members: dict[int, list[Adherence]] = defaultdict(list)
    if org.type == T.BRANCH:
        for member in branch_members_in(org, cids):
            members[member.covenant_id].append(member)
    open_obstacles = dict(
        Obstacle.objects.filter(
            covenant_id__in=cids,
            status__in=(Obstacle.Status.RAISED, Obstacle.Status.ACCEPTED),
        )
        .values_list("covenant_id")
        .annotate(n=Count("id"))
        .values_list("covenant_id", "n")
    )
    return [
        Place(
            covenant=adh.covenant,
            adherence=adh,
            commitments=[(a, kpi_progress(a)) for a in owned[adh.covenant_id]],
            seats=seats[adh.covenant_id],
            meetings=meetings[adh.covenant_id],
            decisions=decisions[adh.covenant_id],
            members=members[adh.covenant_id],
            open_obstacles=open_obstacles.get(adh.covenant_id, 0),
        )
        for adh in adherences
    ]


# --- branch organisations ------------------------------------------------------------


def branch_members(branch: Organisation, covenant: Covenant) -> QuerySet[Adherence]:
    """A branch organisation's own member companies in a covenant (current ones)."""
    return branch_members_in(branch, [covenant.pk])


def branch_members_in(branch: Organisation, covenant_ids: list[int]) -> QuerySet[Adherence]:
    return (
        Adherence.objects.filter(
            covenant_id__in=covenant_ids,
            organisation__branch_organisations=branch,
            status__in=CURRENT,
        )
        .select_related("organisation")
        .order_by("covenant_id", "organisation__name")
    )


@transaction.atomic
def check_remind_members(user: AnyUser, covenant: Covenant, message: str) -> int:
    """A branch organisation reminds its own members in a covenant by e-mail
    (to the members' active users); returns how many people were written to."""
    org = own_organisation(user)
    if org is None or org.type != T.BRANCH:
        raise PermissionDeniedError(_("Only a branch organisation can remind its members."))
    if active_adherence(user, covenant) is None:
        raise PermissionDeniedError(_("Your organisation is not a party to this covenant."))
    if not message.strip():
        raise DomainError(_("Write the reminder."))
    from imvo.accounts.models import User

    members = branch_members(org, covenant).filter(status=Adherence.Status.ACTIVE)
    emails = sorted(
        set(
            User.objects.filter(
                organisation__in=[m.organisation_id for m in members], is_active=True
            )
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    for email in emails:  # one mail each: members must not see each other's addresses
        send_mail(
            _("Reminder from %(org)s: %(covenant)s") % {"org": org.name, "covenant": covenant.name},
            message.strip(),
            None,
            [email],
        )
    return len(emails)


# --- the obstacles register ------------------------------------------------------------


def _writing_language() -> str:
    """The language a text is taken to be written in: the writer's page language."""
    return (get_language() or "nl")[:2]


def obstacles_visible_to(user: AnyUser, covenant: Covenant) -> QuerySet[Obstacle]:
    """The register is for the covenant's parties and its secretariat."""
    if not audience(user, covenant).inside:
        return Obstacle.objects.none()
    return (
        Obstacle.objects.filter(covenant=covenant)
        .select_related("raised_by", "theme")
        .prefetch_related("actions")
    )


def is_active_party(user: AnyUser, covenant: Covenant) -> bool:
    return active_adherence(user, covenant) is not None


def _require_party(user: AnyUser, covenant: Covenant) -> Organisation:
    adherence = active_adherence(user, covenant)
    if adherence is None:
        raise PermissionDeniedError(_("Only an active party of this covenant can do this."))
    return adherence.organisation


def _require_government(user: AnyUser, covenant: Covenant) -> Organisation:
    org = _require_party(user, covenant)
    if org.type != T.GOVERNMENT:
        raise PermissionDeniedError(_("Only the government party handles obstacles."))
    return org


@transaction.atomic
def check_raise_obstacle(
    user: AnyUser,
    covenant: Covenant,
    country: str,
    title: str,
    description: str,
    ask: str,
    theme: Theme | None = None,
) -> Obstacle:
    org = _require_party(user, covenant)
    if not (title.strip() and description.strip() and ask.strip()):
        raise DomainError(_("Say what the obstacle is, describe it and what government should do."))
    code = (country or "").strip().upper()
    if not is_code(code):
        raise DomainError(_("%(c)s is not a country code (ISO 3166-1, e.g. ET).") % {"c": country})
    require_themes_of(covenant, theme)
    return Obstacle.objects.create(
        covenant=covenant,
        raised_by=org,
        country=code,
        theme=theme,
        title=title.strip(),
        description=description.strip(),
        ask=ask.strip(),
        language=_writing_language(),
    )


@transaction.atomic
def check_accept_obstacle(user: AnyUser, obstacle: Obstacle, assigned_to: str) -> Obstacle:
    _require_government(user, obstacle.covenant)
    if obstacle.status != Obstacle.Status.RAISED:
        raise DomainError(_("Only a newly raised obstacle can be accepted."))
    if not assigned_to.strip():
        raise DomainError(_("Say who takes it up (a ministry, an embassy)."))
    obstacle.status = Obstacle.Status.ACCEPTED
    obstacle.assigned_to = assigned_to.strip()
    obstacle.save()
    return obstacle


@transaction.atomic
def check_report_action(
    user: AnyUser, obstacle: Obstacle, text: str, on: date | None = None
) -> ObstacleAction:
    _require_government(user, obstacle.covenant)
    if obstacle.status != Obstacle.Status.ACCEPTED:
        raise DomainError(_("Accept the obstacle before reporting actions on it."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("An action cannot be dated in the future."))
    if not text.strip():
        raise DomainError(_("Describe the action taken."))
    return ObstacleAction.objects.create(
        obstacle=obstacle,
        date=on,
        text=text.strip(),
        language=_writing_language(),
        by=roles.signed_in(user),
    )


@transaction.atomic
def check_close_obstacle(
    user: AnyUser, obstacle: Obstacle, result: str, declined: bool = False
) -> Obstacle:
    _require_government(user, obstacle.covenant)
    if obstacle.status in (Obstacle.Status.CLOSED, Obstacle.Status.DECLINED):
        raise DomainError(_("This obstacle is already closed."))
    if not result.strip():
        raise DomainError(_("Give the result (or why government declines it)."))
    obstacle.status = Obstacle.Status.DECLINED if declined else Obstacle.Status.CLOSED
    obstacle.result = result.strip()
    obstacle.result_language = _writing_language()
    obstacle.closed = timezone.localdate()
    obstacle.save()
    return obstacle


# --- comments on KPI progress ----------------------------------------------------------

COMMENT_MAX = 2000


@dataclass(frozen=True)
class KpiLine:
    """One agreement's KPI figures with the parties' comments beside them."""

    agreement: Agreement
    progress: KpiProgress
    comments: list[KpiComment]


def kpi_board(user: AnyUser, covenant: Covenant) -> list[KpiLine]:
    """Every agreement of the covenant with its progress and the parties' comments,
    for the covenant's parties and secretariat (others get nothing)."""
    if not audience(user, covenant).inside:
        return []
    agreements = covenant.agreements.prefetch_related(
        Prefetch("measurements", queryset=KpiMeasurement.objects.order_by("date")),
        Prefetch("comments", queryset=KpiComment.objects.select_related("organisation")),
    )
    return [KpiLine(a, kpi_progress(a), list(a.comments.all())) for a in agreements]


@transaction.atomic
def check_comment_on_kpi(user: AnyUser, agreement: Agreement, text: str) -> KpiComment:
    """A party of the agreement's covenant comments on its KPI progress."""
    org = _require_party(user, agreement.covenant)
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write your comment on the progress."))
    if len(text) > COMMENT_MAX:
        raise DomainError(
            _("Keep the comment under %(n)s characters (it has %(m)s).")
            % {"n": COMMENT_MAX, "m": len(text)}
        )
    return KpiComment.objects.create(
        agreement=agreement,
        organisation=org,
        author=roles.signed_in(user),
        text=text,
        language=_writing_language(),
    )
