"""The signal channel: a union or NGO reports a problem at a production location.

`check_raise_signal` records it and passes it on at once to every current
member whose supplier list links to the location (`supplychain.seams.
organisations_linked_to_facility`, the lookup complaints use). The union never
learns who they are: what it reads (`union_view`) counts the members reached
(a range below K, the disclosure rule) and those who answered, and shows the
answers without a name; a member reached is not told that others were. Members answer
(`check_respond`); the raising party or the secretariat closes it with a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.countries import is_code
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, Covenant, Organisation, Theme
from imvo.covenants.seams import require_themes_of
from imvo.parties.models import Signal, SignalForwarding, SignalResponse
from imvo.parties.services.access import require_civil_society_party
from imvo.supplychain.seams import (
    disclosure_threshold,
    organisations_linked_to_facility,
    public_facility_search,
)

TEXT_MAX = 5000


def _language() -> str:
    return (get_language() or "nl")[:2]


def public_locations(covenant: Covenant, query: str) -> list[dict[str, object]]:
    """Locations of the covenant's public production-location list fitting a search:
    a union picks the location of its signal from what the public list shows."""
    if len((query or "").strip()) < 2:
        return []
    return public_facility_search(query, covenant=covenant, limit=20)


@transaction.atomic
def check_raise_signal(
    user: AnyUser,
    covenant: Covenant,
    title: str,
    description: str,
    *,
    facility_id: int | None = None,
    search: str = "",
    location: str = "",
    country: str = "",
    theme: Theme | None = None,
) -> Signal:
    """Record a union's or NGO's signal and pass it to the members linked to the location.

    A location from the public list is named by its id together with the search
    that found it (the id must be among that search's results: nothing outside the
    public list can be probed). Without one, the location is described in words
    and the signal goes to the secretariat only."""
    org = require_civil_society_party(user, covenant)
    title, description = title.strip(), description.strip()
    if not title or not description:
        raise DomainError(_("Say what the problem is and describe what is happening."))
    if len(description) > TEXT_MAX:
        raise DomainError(_("Keep the description under %(n)s characters.") % {"n": TEXT_MAX})
    require_themes_of(covenant, theme)
    if facility_id is not None:
        found = {int(str(f["id"])): f for f in public_locations(covenant, search)}
        if facility_id not in found:
            raise DomainError(_("Choose the location from the search results of the public list."))
        facility = found[facility_id]
        location, country = str(facility["name"]), str(facility["country"])
    else:
        location, country = location.strip(), country.strip().upper()
        if not location:
            raise DomainError(_("Name the production location (or choose it from the list)."))
        if not is_code(country):
            raise DomainError(
                _("%(c)s is not a country code (ISO 3166-1, e.g. BD).") % {"c": country}
            )
    signal = Signal.objects.create(
        covenant=covenant,
        raised_by=org,
        raised_by_user=roles.signed_in(user),
        facility_id=facility_id,
        location=location,
        country=country,
        theme=theme,
        title=title,
        description=description,
        language=_language(),
    )
    # Passed on by the worker, whoever sources there: made in this request, the
    # forwardings and the mails to each member's people made the union's answer
    # slower the more members source at the location, a count it reads only as a
    # range below K (docs/security.md, T76).
    pass_on_signal.enqueue(signal.pk)
    return signal


@task()
def pass_on_signal(signal_id: int) -> int:
    """The worker's part of raising a signal: forward it to the members linked to its
    location and mail their people. Done in the union's request, the work grew with
    the members sourcing there and their people, so the answer's time counted them
    for the union, which reads the number only as a range below K; a mail server
    that was down made its answer a 500 (docs/security.md, T76). A mail that fails
    rolls the forwardings back, so the task run again passes the signal on again.
    Returns the members reached."""
    signal = Signal.objects.filter(pk=signal_id).select_related("raised_by").first()
    if signal is None:
        return 0
    with transaction.atomic():
        reached = forward(signal)
        if reached:
            tell_members(signal, reached)
    return len(reached)


def do_forward(signal: Signal) -> int:
    """Pass the signal to every active member company linked to its location; their
    people are mailed once the transaction commits. Returns the members reached."""
    reached = forward(signal)
    if reached:
        transaction.on_commit(lambda: tell_members(signal, reached))
    return len(reached)


def forward(signal: Signal) -> list[int]:
    """Record the signal's forwarding to every active member company linked to its
    location (once); returns the organisations newly reached."""
    if signal.facility_id is None:
        return []
    members = set(
        Adherence.objects.filter(
            covenant=signal.covenant_id,
            status=Adherence.Status.ACTIVE,
            organisation__type=Organisation.Type.COMPANY,
        ).values_list("organisation_id", flat=True)
    )
    reached: list[int] = []
    for org in organisations_linked_to_facility(signal.facility_id):
        if org.pk in members:
            _obj, created = SignalForwarding.objects.get_or_create(signal=signal, organisation=org)
            if created:
                reached.append(org.pk)
    return reached


def tell_members(signal: Signal, organisation_ids: list[int]) -> None:
    """One e-mail per person of each member reached: nobody sees who else got it."""
    from imvo.accounts.models import User

    emails = sorted(
        set(
            User.objects.filter(organisation_id__in=organisation_ids, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )
    path = reverse("parties:signal", args=[signal.pk])
    for email in emails:
        send_mail(
            _("A signal about a production location you source from"),
            _(
                "%(party)s reports a problem at %(location)s (%(country)s): %(title)s\n\n"
                "Read it and answer on the platform: %(path)s"
            )
            % {
                "party": signal.raised_by.name,
                "location": signal.location,
                "country": signal.country,
                "title": signal.title,
                "path": path,
            },
            None,
            [email],
        )


def role_in(user: AnyUser, signal: Signal) -> str:
    """'secretariat', 'raiser' or 'member' (reached by it); '' when none."""
    if roles.is_secretariat(user, signal.covenant_id):
        return "secretariat"
    oid = roles.organisation_id(user)
    if oid is None:
        return ""
    if oid == signal.raised_by_id:
        return "raiser"
    if any(f.organisation_id == oid for f in signal.forwardings.all()):
        return "member"
    return ""


@transaction.atomic
def check_respond(user: AnyUser, signal: Signal, text: str) -> SignalResponse:
    """A member reached by the signal (or the secretariat) says what it does about it."""
    role = role_in(user, signal)
    if role not in ("member", "secretariat"):
        raise PermissionDeniedError(_("Only the members it reached can answer this signal."))
    if signal.status == Signal.Status.CLOSED:
        raise DomainError(_("This signal is closed."))
    text = text.strip()
    if not text:
        raise DomainError(_("Write what your company does about the problem."))
    if len(text) > TEXT_MAX:
        raise DomainError(_("Keep the answer under %(n)s characters.") % {"n": TEXT_MAX})
    response = SignalResponse.objects.create(
        signal=signal,
        organisation_id=roles.organisation_id(user) if role == "member" else None,
        by=roles.signed_in(user),
        text=text,
        language=_language(),
    )
    if signal.status == Signal.Status.OPEN:
        signal.status = Signal.Status.ANSWERED
        signal.save(update_fields=["status"])
    return response


@transaction.atomic
def check_close(user: AnyUser, signal: Signal, note: str) -> Signal:
    """The raising party or the secretariat closes the signal with a note."""
    if role_in(user, signal) not in ("raiser", "secretariat"):
        raise PermissionDeniedError(
            _("Only the party that raised the signal or the secretariat closes it.")
        )
    if signal.status == Signal.Status.CLOSED:
        raise DomainError(_("This signal is already closed."))
    if not note.strip():
        raise DomainError(_("Say why the signal is closed (resolved, no longer relevant...)."))
    signal.status = Signal.Status.CLOSED
    signal.closing_note = note.strip()
    signal.closed = timezone.now()
    signal.save()
    return signal


@dataclass(frozen=True)
class UnionView:
    """What a reader of the signal learns of its reach: counts and anonymous answers,
    never a member. `reached` is "" for a member reached (it reads the signal and its
    own answers, not that others were reached); `in_range` says the figure is a range."""

    reached: str
    in_range: bool
    k: int
    answered: int  # members that answered (exact: for the template's plural only)
    answers: list[SignalResponse]

    @property
    def answered_range(self) -> str:
        """The members that answered as a range while the reach is one: an exact
        count beside "1\u2013K-1 reached" is a lower bound of the reach, and with
        every member reached answering it is the count the range hides
        (docs/security.md T81). "" when the count may be read as it is."""
        return f"1\u2013{self.k - 1}" if self.in_range and self.answered else ""


def reach_figure(reached: int, role: str, k: int) -> tuple[str, bool]:
    """How many members a signal reached, as `role` may read it: the secretariat the
    number; the raising party the number from K members on, "1 to K-1" below (an
    exact small count of the members sourcing at a location is a figure about fewer
    than K members' lists, which the public list shows as a band and the
    shared-facilities page as a range); a member nothing. (figure, is a range)"""
    if role == "secretariat" or (role == "raiser" and (reached == 0 or reached >= k)):
        return str(reached), False
    if role == "raiser":
        return f"1\u2013{k - 1}", True
    return "", False


def union_view(signal: Signal, role: str) -> UnionView:
    responses = list(signal.responses.all())
    k = disclosure_threshold(signal.covenant_id)
    reached, in_range = reach_figure(len(signal.forwardings.all()), role, k)
    return UnionView(
        reached=reached,
        in_range=in_range,
        k=k,
        answered=len({r.organisation_id for r in responses if r.organisation_id}),
        answers=responses,
    )


def list_figures(user: AnyUser, signal: Signal) -> tuple[str, int]:
    """(members reached, answers) for the list of signals, as the user may read
    them: a member reached counts its own answers only (`union_view`)."""
    role = role_in(user, signal)
    reached, _range = reach_figure(
        len(signal.forwardings.all()), role, disclosure_threshold(signal.covenant_id)
    )
    if role == "member":
        own = roles.organisation_id(user)
        return reached, sum(1 for r in signal.responses.all() if r.organisation_id == own)
    return reached, len(signal.responses.all())
