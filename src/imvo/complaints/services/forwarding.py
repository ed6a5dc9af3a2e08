"""A complaint about a production location rather than a member: the
secretariat passes it to every member whose supplier list names the location.
Each member gets its own forwarding and never sees the others'; the
complainant never learns who buys from the location. Each member is e-mailed
once that a complaint was passed to it (services/respondents.tell_forwarded),
after the forwarding is stored; a mail server that is down leaves it to the
daily job `complaints-respondent-mail`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from imvo.accounts.services import AnyUser, managed_covenant_ids, signed_in
from imvo.complaints.audit import audit
from imvo.complaints.models import Complaint, Forwarding
from imvo.complaints.services.access import require_handler
from imvo.complaints.services.filing import members_of
from imvo.complaints.services.respondents import tell_forwarded
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Organisation
from imvo.supplychain.seams import organisations_linked_to_facility


def linked_organisations(facility_id: int) -> list[Organisation]:
    return list(organisations_linked_to_facility(facility_id))


def check_forward_to_linked_members(user: AnyUser, c: Complaint) -> int:
    """Pass a location complaint to every member linked to the location
    (the secretariat does this). Returns how many new forwardings were made."""
    role = require_handler(user, c)
    if role != "secretariat" and c.covenant_id not in managed_covenant_ids(user):
        raise PermissionDeniedError(_("Only the secretariat forwards location complaints."))
    if not c.facility_id:
        raise DomainError(_("This complaint is not about a listed production location."))
    return do_forward_to_linked_members(user, c)


def do_forward_to_linked_members(user: AnyUser, c: Complaint) -> int:
    assert c.facility_id is not None
    orgs = [
        o
        for o in linked_organisations(c.facility_id)
        if members_of(c.covenant).filter(pk=o.pk).exists()
    ]
    n = 0
    with transaction.atomic():
        for o in orgs:
            _obj, created = Forwarding.objects.get_or_create(
                complaint=c, organisation=o, defaults={"by": signed_in(user)}
            )
            n += int(created)
        audit(user, "forwarded", c, members=len(orgs))
    tell_forwarded(c)
    return n
