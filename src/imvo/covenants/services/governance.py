"""Governance in the site: bodies, seats, meetings with agenda, papers, minutes and decisions.

The secretariat sets up a covenant's bodies (a steering group under an
independent chair, with seats per constituency for a term, each with a
substitute), schedules meetings, puts items and papers on the agenda, records
minutes and decisions. Who reads what follows `Audience`: the public sees
bodies, seats and public decisions and minutes; every party of the covenant
sees the agenda and what is marked for all parties; the organisations holding
a seat in a body see that body's papers too; the secretariat sees everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.core.uploads import DOCX, ODT, PDF, XLSX, UploadPolicy
from imvo.covenants.models import (
    Adherence,
    AgendaItem,
    Covenant,
    Decision,
    GovernanceBody,
    Meeting,
    Organisation,
    Seat,
    StakeholderGroup,
    Visibility,
)
from imvo.covenants.services import (
    CONSTITUENCY_OF_TYPE,
    Representation,
    party_constituencies,
    representation,
    require_secretariat,
)

# --- who reads what ----------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """What one user is to one covenant's governance."""

    secretariat: bool
    party: bool
    body_ids: frozenset[int]

    @property
    def inside(self) -> bool:
        """A party or the secretariat: may see meetings and agendas."""
        return self.secretariat or self.party or bool(self.body_ids)

    def may_read(self, visibility: str, body_id: int) -> bool:
        if self.secretariat or visibility == Visibility.PUBLIC:
            return True
        if visibility == Visibility.PARTIES:
            return self.party or bool(self.body_ids)
        return body_id in self.body_ids

    def visibility_q(self, body_field: str = "body_id", field: str = "visibility") -> Q:
        """The same rule as a filter, for lists."""
        if self.secretariat:
            return Q()
        q = Q(**{field: Visibility.PUBLIC})
        if self.party or self.body_ids:
            q |= Q(**{field: Visibility.PARTIES})
        if self.body_ids:
            q |= Q(**{field: Visibility.BODY, f"{body_field}__in": self.body_ids})
        return q


def audience(user: AnyUser, covenant: Covenant) -> Audience:
    if roles.is_secretariat(user, covenant):
        return Audience(True, True, frozenset())
    oid = roles.organisation_id(user)
    if not oid:
        return Audience(False, False, frozenset())
    party = Adherence.objects.filter(
        covenant=covenant,
        organisation_id=oid,
        status__in=(Adherence.Status.ACTIVE, Adherence.Status.SUSPENDED),
    ).exists()
    # A seat counts while its organisation is a party: withdrawing leaves the seat
    # in the body's history, and read alone it kept a company that had left (or
    # was excluded) in the body's meetings, papers and minutes (docs/security.md,
    # T77). A seat is only ever given to an active party (`check_add_seat`). And
    # only while its term runs: an ended term read on until the secretariat got
    # round to renewing or removing the seat (T86).
    bodies = (
        frozenset(
            Seat.objects.running()
            .filter(body__covenant=covenant, organisation_id=oid)
            .values_list("body_id", flat=True)
        )
        if party
        else frozenset()
    )
    return Audience(False, party, bodies)


def decisions_visible_to(user: AnyUser, covenant: Covenant) -> QuerySet[Decision]:
    aud = audience(user, covenant)
    return (
        Decision.objects.filter(covenant=covenant)
        .filter(aud.visibility_q())
        .select_related("body", "meeting")
    )


def meetings_visible_to(user: AnyUser, covenant: Covenant) -> QuerySet[Meeting]:
    """Meetings (dates, agendas) are for the parties and the secretariat; the
    public reads only what a meeting published (its public minutes, decisions)."""
    aud = audience(user, covenant)
    qs = Meeting.objects.filter(body__covenant=covenant).select_related("body")
    return qs if aud.inside else qs.none()


def bodies_with_verdicts(covenant: Covenant) -> list[tuple[GovernanceBody, Representation]]:
    """The covenant's bodies with their seats and the equal-representation verdict,
    counted against every constituency among the covenant's parties."""
    groups = party_constituencies(covenant)
    bodies = covenant.bodies.prefetch_related(
        Prefetch("seats", queryset=Seat.objects.select_related("organisation"))
    )
    return [(b, representation(list(b.seats.all()), groups)) for b in bodies]


def citable_decisions(covenant: Covenant) -> QuerySet[Decision]:
    """Decisions another part of the platform may cite (an escalation, an exclusion)."""
    return Decision.objects.filter(covenant=covenant).select_related("body")


# --- bodies and seats -----------------------------------------------------------------


@transaction.atomic
def check_create_body(
    user: AnyUser,
    covenant: Covenant,
    name_nl: str,
    name_en: str,
    description_nl: str = "",
    description_en: str = "",
) -> GovernanceBody:
    require_secretariat(user, covenant)
    if not (name_nl.strip() and name_en.strip()):
        raise DomainError(_("Give the body's name in Dutch and in English."))
    if covenant.bodies.filter(Q(name_nl__iexact=name_nl) | Q(name_en__iexact=name_en)).exists():
        raise DomainError(_("This covenant already has a body with that name."))
    return GovernanceBody.objects.create(
        covenant=covenant,
        name_nl=name_nl.strip(),
        name_en=name_en.strip(),
        description_nl=description_nl,
        description_en=description_en,
    )


@transaction.atomic
def check_add_seat(
    user: AnyUser,
    body: GovernanceBody,
    group: str,
    organisation: Organisation | None = None,
    holder: str = "",
    substitute: str = "",
    is_chair: bool = False,
    term_start: date | None = None,
    term_end: date | None = None,
) -> Seat:
    """Give a constituency a seat. A seat for a constituency is held by one of
    the covenant's active parties of that constituency; the independent chair
    (and other independent seats) by a person."""
    require_secretariat(user, body.covenant)
    if group not in StakeholderGroup.values:
        raise DomainError(_("Choose the constituency the seat is for."))
    if group == StakeholderGroup.INDEPENDENT:
        if organisation is not None:
            raise DomainError(
                _("An independent seat is held by a person, not by a party organisation.")
            )
        if not holder.strip():
            raise DomainError(_("Name the independent seat holder."))
    else:
        if is_chair:
            raise DomainError(_("The chair is independent: choose the constituency Independent."))
        if organisation is None:
            raise DomainError(_("Choose the party organisation that holds the seat."))
        if not Adherence.objects.filter(
            covenant=body.covenant,
            organisation=organisation,
            role=Adherence.Role.PARTY,
            status=Adherence.Status.ACTIVE,
        ).exists():
            raise DomainError(
                _("%(org)s is not an active party to this covenant.") % {"org": organisation.name}
            )
        if CONSTITUENCY_OF_TYPE.get(organisation.type) != group:
            raise DomainError(
                _("%(org)s (%(type)s) does not sit for %(group)s.")
                % {
                    "org": organisation.name,
                    "type": organisation.get_type_display(),
                    "group": StakeholderGroup(group).label,
                }
            )
    if is_chair and body.seats.filter(is_chair=True).exists():
        raise DomainError(_("This body already has a chair; remove that seat first."))
    if term_start and term_end and term_end <= term_start:
        raise DomainError(_("The term must end after it starts."))
    return Seat.objects.create(
        body=body,
        group=group,
        organisation=organisation,
        holder=holder.strip() or (organisation.name if organisation else ""),
        substitute=substitute.strip(),
        is_chair=is_chair,
        term_start=term_start,
        term_end=term_end,
    )


@transaction.atomic
def check_remove_seat(user: AnyUser, seat: Seat) -> None:
    require_secretariat(user, seat.body.covenant)
    seat.delete()


# --- meetings ----------------------------------------------------------------------


@transaction.atomic
def check_schedule_meeting(
    user: AnyUser, body: GovernanceBody, on: date, location: str = ""
) -> Meeting:
    require_secretariat(user, body.covenant)
    return Meeting.objects.create(body=body, date=on, location=location.strip())


@transaction.atomic
def check_add_agenda_item(
    user: AnyUser,
    meeting: Meeting,
    title_nl: str,
    title_en: str,
    paper_nl: str = "",
    paper_en: str = "",
    paper_visibility: str = Visibility.BODY,
    paper_upload: tuple[str, bytes] | None = None,
) -> AgendaItem:
    require_secretariat(user, meeting.body.covenant)
    if not (title_nl.strip() and title_en.strip()):
        raise DomainError(_("Give the agenda item's title in Dutch and in English."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise DomainError(_("This meeting was cancelled."))
    order = meeting.agenda.count() + 1
    if paper_upload is not None:  # refused before anything is stored
        PAPER_POLICY.check(*paper_upload)
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        title_nl=title_nl.strip(),
        title_en=title_en.strip(),
        paper_nl=paper_nl,
        paper_en=paper_en,
        paper_visibility=paper_visibility,
    )
    if paper_upload is not None:
        check_attach_paper(user, item, *paper_upload)
    return item


# Papers lose their metadata as the library's files and complaint evidence do
# (`core.metadata`: a PDF's author, XMP and the EXIF of the photos it shows).
PAPER_POLICY = UploadPolicy((PDF, DOCX, XLSX, ODT), max_bytes=20 * 1024 * 1024, strip_metadata=True)


@transaction.atomic
def check_attach_paper(user: AnyUser, item: AgendaItem, name: str, data: bytes) -> AgendaItem:
    """The secretariat attaches a paper file to an agenda item (PDF or office document,
    judged by its content); it replaces an earlier file."""
    require_secretariat(user, item.meeting.body.covenant)
    checked = PAPER_POLICY.check(name, data)
    if item.paper_file:
        item.paper_file.delete(save=False)
    extension = checked.name.rsplit(".", 1)[-1].lower()
    item.paper_file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(checked.data), save=False)
    item.paper_file_name = checked.name
    item.paper_content_type = checked.content_type
    item.save()
    return item


def readable_paper(user: AnyUser, covenant: Covenant, pk: int) -> AgendaItem | None:
    """The agenda item whose paper file this user may download, or None: the paper's
    visibility (body members, all parties, public) decides, as for its text."""
    item = (
        AgendaItem.objects.filter(pk=pk, meeting__body__covenant=covenant)
        .exclude(paper_file="")
        .select_related("meeting")
        .first()
    )
    if item is None:
        return None
    aud = audience(user, covenant)
    return item if aud.may_read(item.paper_visibility, item.meeting.body_id) else None


@transaction.atomic
def check_record_minutes(
    user: AnyUser,
    meeting: Meeting,
    minutes_nl: str,
    minutes_en: str,
    visibility: str = Visibility.BODY,
) -> Meeting:
    """Minutes make the meeting held; a meeting cannot be minuted before its date."""
    require_secretariat(user, meeting.body.covenant)
    if meeting.date > timezone.localdate():
        raise DomainError(_("The meeting has not taken place yet."))
    if not (minutes_nl.strip() or minutes_en.strip()):
        raise DomainError(_("Write the minutes (in Dutch, English or both)."))
    meeting.minutes_nl = minutes_nl
    meeting.minutes_en = minutes_en
    meeting.minutes_visibility = visibility
    meeting.status = Meeting.Status.HELD
    meeting.save()
    return meeting


@transaction.atomic
def check_record_decision(
    user: AnyUser,
    body: GovernanceBody,
    text_nl: str,
    text_en: str,
    on: date | None = None,
    mode: str = Decision.Mode.CONSENSUS,
    votes_for: int | None = None,
    votes_against: int | None = None,
    abstentions: int | None = None,
    meeting: Meeting | None = None,
    visibility: str = Visibility.PUBLIC,
) -> Decision:
    """Record a decision; it gets the next number of its year ('2026-03')."""
    require_secretariat(user, body.covenant)
    on = on or (meeting.date if meeting else timezone.localdate())
    if not (text_nl.strip() and text_en.strip()):
        raise DomainError(_("Give the decision's text in Dutch and in English."))
    if on > timezone.localdate():
        raise DomainError(_("A decision cannot be dated in the future."))
    if meeting is not None and meeting.body_id != body.pk:
        raise DomainError(_("That meeting belongs to another body."))
    if mode == Decision.Mode.VOTE:
        if votes_for is None or votes_against is None:
            raise DomainError(_("A vote needs the number of votes for and against."))
        if votes_for <= votes_against:
            raise DomainError(
                _("The vote was not carried (%(f)s for, %(a)s against): record no decision.")
                % {"f": votes_for, "a": votes_against}
            )
    elif any(v for v in (votes_for, votes_against, abstentions)):
        raise DomainError(_("A decision by consensus has no vote count."))
    prefix = f"{on.year}-"
    taken = Decision.objects.select_for_update().filter(
        covenant=body.covenant, number__startswith=prefix
    )
    number = f"{prefix}{taken.count() + 1:02d}"
    return Decision.objects.create(
        covenant=body.covenant,
        body=body,
        meeting=meeting,
        number=number,
        date=on,
        text_nl=text_nl.strip(),
        text_en=text_en.strip(),
        mode=mode,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        visibility=visibility,
        recorded_by=roles.signed_in(user),
    )


def upcoming_meetings(body_ids: Any, today: date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    return (
        Meeting.objects.filter(body_id__in=body_ids, date__gte=today)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("body", "body__covenant")
        .order_by("date")
    )
