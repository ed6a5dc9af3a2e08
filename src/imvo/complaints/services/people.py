"""Whom a case handler may choose as a substitute member or a translator: people
picked by their names from a list, never an account typed by its log-in name.

A log-in name typed into a form told the handler nothing about the person and
asked for half of what signs them in (docs/security.md, T80). The list holds the
people the chooser already knows on the platform, and only those who may be
chosen for the case (the rules of `committee.check_appoint_substitute` and
`translation.check_request_translation`):

* the covenant's secretariat (who appoints substitutes and binds translators):
  the active people of the organisations taking part in the case's covenant
  (those it invites and unlocks), the committee members of the covenants it
  runs, and whoever was bound to a case of the covenant before (a substitute,
  a translator: the committee page lists them);
* a committee member binding a translator: the committee and the secretariat
  of the covenant and whoever was bound to one of its cases before, the people
  the committee page shows it; never the member companies' staff.

Never a list of all accounts. A chosen person is looked up in the same list: an
id from outside it is refused with one sentence, so the form cannot be used to
read names by number.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from imvo.accounts.models import User
from imvo.accounts.services import AnyUser, managed_covenant_ids, person_name
from imvo.complaints.models import CaseTranslator, Complaint, Recusal, Substitute
from imvo.complaints.services.access import company_party_ids
from imvo.core.text import whole_number
from imvo.covenants.models import Organisation


def _known_people(by: AnyUser, c: Complaint) -> QuerySet[User]:
    """The active people `by` already knows for the case's covenant (see above)."""
    covenant = c.covenant
    bound_before = Q(
        pk__in=Substitute.objects.filter(complaint__covenant=covenant).values("user_id")
    ) | Q(pk__in=CaseTranslator.objects.filter(complaint__covenant=covenant).values("user_id"))
    of_covenant = Q(covenant_roles__covenant=covenant)
    if covenant.pk in managed_covenant_ids(by):
        scope = (
            bound_before
            | of_covenant
            | Q(organisation__in=Organisation.objects.in_covenant(covenant, active=True))
            | Q(
                covenant_roles__covenant_id__in=managed_covenant_ids(by),
                covenant_roles__role="committee",
            )
        )
    else:
        scope = bound_before | of_covenant
    return User.objects.filter(scope, is_active=True).distinct()


def _ordered(people: QuerySet[User], excluded: set[int], c: Complaint) -> list[User]:
    parties = company_party_ids(c)
    chosen = [
        u
        for u in people.select_related("organisation")
        if u.pk not in excluded and u.organisation_id not in parties
    ]
    return sorted(chosen, key=lambda u: (person_name(u).casefold(), u.pk))


def substitute_choices(by: AnyUser, c: Complaint) -> list[User]:
    """Who the secretariat may appoint as a substitute on the case: not recused,
    not already free to act on it, of no company party to it."""
    from imvo.complaints.services.committee import free_members

    if c.covenant_id not in managed_covenant_ids(by):
        return []
    recused = set(Recusal.objects.filter(complaint=c).values_list("user_id", flat=True))
    return _ordered(_known_people(by, c), recused | set(free_members(c)), c)


def translator_choices(by: AnyUser, c: Complaint) -> list[User]:
    """Who a handler may bind as the case's translator: of no company party to it."""
    return _ordered(_known_people(by, c), set(), c)


def chosen(choices: list[User], value: Any) -> User | None:
    """The person picked in the form, from the list it offered; None for anything
    else, which the service refuses with one sentence whoever the number is (no
    name is read by trying numbers)."""
    pk = whole_number(value)
    return next((person for person in choices if person.pk == pk), None)


def labelled(choices: list[User]) -> list[tuple[int, str]]:
    """The list as a form shows it: each person by name, with their organisation
    (two people of one name are told apart without their log-in names)."""
    out = []
    for person in choices:
        org = person.organisation.name if person.organisation else ""
        out.append((person.pk, f"{person_name(person)} ({org})" if org else person_name(person)))
    return out
