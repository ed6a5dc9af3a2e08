"""A complaint's remedy becomes an item of the facility's corrective action plan.

When the complaints committee sends a case into remediation follow-up (a
decision or a settlement that orders a remedy) and the complaint names a
production location on which the covenant has an open joint action, the
action's plan gets a finding (source: complaint) with one item: carry out the
remedy. The members working on the plan then see that a remedy is owed there,
share its cost and have it verified like any other item; the committee keeps
following the remedy up in the complaint itself.

Complainants are safe: nothing of the complaint leaves the committee. The
finding and item say only that a complaint's remedy is owed at the facility;
no text of the complaint, the decision or the settlement, no reference, no
respondent, no date of the complaint is copied. The complaint's id is kept on
the finding (never shown) so that a case that comes back into remediation
after an appeal does not add the finding twice.

Where no joint action is open on the facility nothing is created: starting one
would invite every member sourcing there and tell them of the complaint; that
is the secretariat's call (docs/collective-action.md).

Called from a `post_save` receiver on the complaints' `Transition`
(`collective/apps.py`), after the complaint step is committed, so that a
failure here can never undo or block a step of the complaints procedure.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from imvo.collective.models import CapItem, Finding, JointAction
from imvo.complaints.models import Complaint, ProcedureSettings, State, Transition

logger = logging.getLogger(__name__)

DEFAULT_REMEDIATION_DAYS = 180  # the complaints procedure's default


def items_from_remedy(complaint_id: int) -> list[CapItem]:
    """Add "carry out the remedy" to the plan of each open joint action on the
    complaint's facility in its covenant. Returns the items created (none when
    the complaint names no facility, or no action is open there, or done before)."""
    c = (
        Complaint.objects.filter(pk=complaint_id)
        .only("pk", "covenant_id", "facility_id", "remedy_agreed")
        .first()
    )
    if c is None or c.facility_id is None:
        return []
    actions = JointAction.objects.filter(
        covenant_id=c.covenant_id, facility_id=c.facility_id, status=JointAction.Status.OPEN
    ).exclude(findings__complaint_id=c.pk)
    days = (
        ProcedureSettings.objects.filter(covenant_id=c.covenant_id)
        .values_list("remediation_days", flat=True)
        .first()
    ) or DEFAULT_REMEDIATION_DAYS
    theme = c.themes.values_list("code", flat=True).order_by("code").first() or ""
    created = []
    for action in actions:
        try:
            # Stored text: in the site's language, whoever moved the complaint.
            with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
                finding = Finding.objects.create(
                    action=action,
                    source=Finding.Source.COMPLAINT,
                    theme_code=theme or action.theme_code,
                    description=_(
                        "A complaint in the covenant's complaints procedure led to a remedy "
                        "at this facility. Its details stay with the complaints committee, "
                        "which follows the remedy up."
                    ),
                    complaint_id=c.pk,
                )
                created.append(
                    CapItem.objects.create(
                        finding=finding,
                        fix=_(
                            "Carry out the remedy ordered in the complaints procedure, as the "
                            "committee and the members concerned agree it."
                        ),
                        owner=CapItem.Owner.MEMBER,
                        deadline=timezone.localdate() + timedelta(days=days),
                    )
                )
        except IntegrityError:  # the same remedy, added by a step running at once
            continue
    return created


def on_transition(sender: Any, instance: Transition, created: bool, **kwargs: Any) -> None:
    """`post_save` receiver: a complaint went into remediation follow-up."""
    if not created or instance.to_state != State.REMEDIATION:
        return
    complaint_id = instance.complaint_id
    # After the commit, and robust: the complaint step stands whatever happens here.
    transaction.on_commit(lambda: items_from_remedy(complaint_id), robust=True)
