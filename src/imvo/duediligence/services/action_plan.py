"""The member's action plan: SMART actions on its prioritised risks, progress
reported with evidence, and remediation cases (what happened, who was affected,
which remedy)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts.seams import AnyUser, signed_in
from imvo.core import uploads
from imvo.core.errors import DomainError
from imvo.core.uploads import UploadPolicy
from imvo.covenants.models import Agreement, Covenant, Organisation
from imvo.covenants.seams import require_themes_of
from imvo.duediligence.models import Action, ProgressUpdate, RemediationCase, Submission
from imvo.duediligence.services.access import NotFound, require_member

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Evidence of progress: documents and photos, judged by their content (core.uploads),
# so bytes that merely carry a .pdf name are refused; stored without their metadata (a
# photo's GPS position, a PDF's author), as the library, papers and complaint evidence.
EVIDENCE_POLICY = UploadPolicy(
    types=uploads.DOCUMENTS, max_bytes=EVIDENCE_MAX_BYTES, strip_metadata=True
)
# Progress within 10 percentage points of the time elapsed still counts as on track.
ON_TRACK_TOLERANCE = 10

ACTION_STATUS_LABELS = {
    "done": gettext_lazy("Done"),
    "dropped": gettext_lazy("Dropped"),
    "overdue": gettext_lazy("Overdue"),
    "on_track": gettext_lazy("On track"),
    "behind": gettext_lazy("Behind"),
}


def action_plan(submission: Submission) -> QuerySet[Action]:
    """The actions of the member in the covenant that run in the submission's year."""
    return (
        Action.objects.filter(
            submission.of_same_member(),
            start__year__lte=submission.year,
            deadline__year__gte=submission.year,
        )
        .select_related("theme")
        .prefetch_related("agreements")
    )


def action_status(action: Action, today: date | None = None) -> str:
    """done / dropped / overdue / on_track / behind (a linear path from start to deadline)."""
    today = today or timezone.localdate()
    if action.status == Action.Status.DONE or action.progress >= 100:
        return "done"
    if action.status == Action.Status.DROPPED:
        return "dropped"
    if today > action.deadline:
        return "overdue"
    span = (action.deadline - action.start).days
    expected = 100 if span <= 0 else max(0, min(100, (today - action.start).days * 100 // span))
    return "on_track" if action.progress + ON_TRACK_TOLERANCE >= expected else "behind"


def action_as_dict(a: Action) -> dict[str, Any]:
    """An action as kept in a submission's version (JSON)."""
    return {
        "id": a.pk,
        "theme": a.theme.code if a.theme else None,
        "risk": a.risk,
        "what": a.what,
        "owner": a.owner,
        "start": a.start.isoformat(),
        "deadline": a.deadline.isoformat(),
        "target": a.target,
        "budget": None if a.budget is None else str(a.budget),
        "agreements": [ag.number for ag in a.agreements.all()],
        "status": a.status,
        "progress": a.progress,
        "tracking": action_status(a),
    }


# --- actions -------------------------------------------------------------------------


def _own_record[R: (Action, RemediationCase)](
    model: type[R],
    record: R | None,
    covenant: Covenant,
    org: Organisation,
    fields: dict[str, Any],
    not_found: str,
) -> R:
    """A new record of the member in the covenant, or the member's own `record`
    (another's answers NotFound), with `fields` set on it (not yet saved)."""
    if record is None:
        record = model(covenant=covenant, organisation=org)
    elif record.organisation_id != org.pk or record.covenant_id != covenant.pk:
        raise NotFound(not_found)
    for k, v in fields.items():
        setattr(record, k, v)
    return record


def check_save_action(
    user: AnyUser,
    covenant: Covenant,
    action: Action | None = None,
    agreements: Iterable[Agreement] = (),
    **fields: Any,
) -> Action:
    """Create or change a SMART action of the member's action plan."""
    org = require_member(user, covenant)
    action = _own_record(Action, action, covenant, org, fields, _("There is no such action."))
    for name, label in (
        ("what", _("what will be done")),
        ("owner", _("owner")),
        ("target", _("measurable target")),
    ):
        if not str(getattr(action, name) or "").strip():
            raise DomainError(_("Fill in %(field)s: an action must be SMART.") % {"field": label})
    if action.deadline is None:
        raise DomainError(_("Give the action a deadline."))
    if action.start and action.deadline < action.start:
        raise DomainError(_("The deadline cannot be before the start."))
    if action.budget is not None and action.budget < 0:
        raise DomainError(_("The budget cannot be negative."))
    require_themes_of(covenant, action.theme)
    agreements = list(agreements)
    if any(ag.covenant_id != covenant.pk for ag in agreements):
        raise DomainError(_("Only this covenant's agreements can be linked."))
    return do_save_action(action, agreements)


@transaction.atomic
def do_save_action(action: Action, agreements: Iterable[Agreement]) -> Action:
    action.save()
    action.agreements.set(list(agreements))
    return action


# --- progress --------------------------------------------------------------------------


def check_evidence(f: UploadedFile[bytes]) -> ContentFile[bytes]:
    """Type, content and size of an evidence file, by the one upload policy; what is
    stored: the file without its metadata."""
    name = f.name or "evidence"
    EVIDENCE_POLICY.check_size(name, f.size or 0)  # before reading it into memory
    f.seek(0)
    checked = EVIDENCE_POLICY.check(name, f.read())
    return ContentFile(checked.data, name=name)


def check_add_progress(
    user: AnyUser,
    action: Action,
    progress: int,
    text: str,
    evidence: UploadedFile[bytes] | None = None,
    on: date | None = None,
) -> ProgressUpdate:
    """Report progress on an action, with evidence; moves the action's status along."""
    org = require_member(user, action.covenant)
    if action.organisation_id != org.pk:
        raise NotFound(_("There is no such action."))
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress is a percentage from 0 to 100."))
    if not text.strip():
        raise DomainError(_("Say what happened since the last update."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError(_("A progress update cannot be dated in the future."))
    cleaned = check_evidence(evidence) if evidence is not None else None
    return do_add_progress(user, action, progress, text.strip(), cleaned, on)


@transaction.atomic
def do_add_progress(
    user: AnyUser,
    action: Action,
    progress: int,
    text: str,
    evidence: File[bytes] | None,
    on: date,
) -> ProgressUpdate:
    upd = ProgressUpdate(
        action=action,
        date=on,
        progress=progress,
        text=text,
        by=signed_in(user),
    )
    if evidence is not None:
        upd.evidence.save(PurePath(evidence.name or "evidence").name, evidence, save=False)
    upd.save()
    action.progress = progress
    if progress >= 100:
        action.status = Action.Status.DONE
    elif action.status == Action.Status.PLANNED and progress > 0:
        action.status = Action.Status.IN_PROGRESS
    action.save(update_fields=["progress", "status"])
    return upd


# --- remediation cases -------------------------------------------------------------------


def check_save_case(
    user: AnyUser, covenant: Covenant, case: RemediationCase | None = None, **fields: Any
) -> RemediationCase:
    """Record or update a remediation case (what happened, who was affected, what remedy)."""
    org = require_member(user, covenant)
    case = _own_record(RemediationCase, case, covenant, org, fields, _("There is no such case."))
    if not case.what_happened.strip() or not case.affected.strip():
        raise DomainError(_("Say what happened and who was affected."))
    if case.status == RemediationCase.Status.REMEDIED and not case.remedy.strip():
        raise DomainError(_("Describe the remedy before marking the case remedied."))
    if case.action_id and case.action and case.action.organisation_id != org.pk:
        raise DomainError(_("Link one of your own actions."))
    return do_save_case(case)


@transaction.atomic
def do_save_case(case: RemediationCase) -> RemediationCase:
    case.save()
    return case
