"""Every role grant that opens complaint cases (a committee seat, the
secretariat's case-officer role, platform administration) is written to the
complaint audit trail, whoever made it and however (the admin included), and
shown on the committee page. Connected in `ComplaintsConfig.connect`.

Grants bound to one case (a substitute member, a translator) are written by
their services through `audit_grant` too, so the committee page lists them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy

from imvo.accounts.models import User
from imvo.accounts.services import recorded_person
from imvo.complaints.audit import actor_name, audit
from imvo.complaints.models import Complaint

CASE_ROLES = ("committee", "secretariat")


def audit_grant(
    by: Any,
    action: str,
    covenant_id: int,
    member: Any,
    role: str,
    complaint: Complaint | None = None,
    **detail: Any,
) -> None:
    """A grant (or its end) that opens complaint cases, on the audit trail with its
    covenant, member and role: the committee page lists it (`grants_for`)."""
    if getattr(member, "pk", None) is not None:
        # The account's number: the page names whoever it is now, or a former user.
        detail["member_id"] = member.pk
    audit(
        by,
        action,
        complaint,
        covenant=covenant_id,
        member=actor_name(member),
        role=role,
        **detail,
    )


def _audit_role(role: Any, action: str) -> None:
    """Write a grant or revocation of a covenant role that opens cases."""
    if role.role in CASE_ROLES:
        audit_grant("platform", action, role.covenant_id, role.user, role.role)


def role_saving(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Note what a role row held before it is saved: the admin's inline edits a
    row in place (another covenant, committee for secretariat), which opens
    other cases as a new row does (docs/security.md, T75)."""
    instance._held_before = (
        sender.objects.filter(pk=instance.pk).select_related("user").first()
        if instance.pk is not None
        else None
    )


def role_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_held_before", None)
    instance._held_before = None
    if created or before is None:
        _audit_role(instance, "role-granted")
        return
    if (before.user_id, before.covenant_id, before.role) != (
        instance.user_id,
        instance.covenant_id,
        instance.role,
    ):
        _audit_role(before, "role-revoked")
        _audit_role(instance, "role-granted")


def role_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    _audit_role(instance, "role-revoked")


def user_saving(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A user made (or unmade) a platform administrator."""
    if instance.pk is None:
        was = False
    else:
        was = bool(
            sender.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
        )
    if bool(instance.is_superuser) != was:
        audit(
            "platform",
            "admin-granted" if instance.is_superuser else "admin-revoked",
            None,
            member=instance.get_username(),
            **({"member_id": instance.pk} if instance.pk is not None else {}),
        )


def grants_for(covenant_id: int) -> list[Any]:
    """The role grants of one covenant, newest first, and every admin grant."""
    from django.db.models import Q

    from imvo.complaints.models import AuditEntry

    return list(
        AuditEntry.objects.filter(
            Q(
                action__in=(
                    "role-granted",
                    "role-revoked",
                    "substitute-appointed",
                    "translator-granted",
                    "translator-revoked",
                ),
                detail__contains=f'"covenant": {covenant_id},',
            )
            | Q(action__in=("admin-granted", "admin-revoked"))
        ).order_by("-seq")[:100]
    )


# What each grant's line says (the audit trail keeps the action's code).
GRANT_WORDS = {
    ("role-granted", "committee"): gettext_lazy("Complaints committee granted"),
    ("role-revoked", "committee"): gettext_lazy("Complaints committee ended"),
    ("role-granted", "secretariat"): gettext_lazy("Secretariat granted"),
    ("role-revoked", "secretariat"): gettext_lazy("Secretariat ended"),
    ("substitute-appointed", "substitute"): gettext_lazy("Substitute member appointed"),
    ("translator-granted", "translator"): gettext_lazy("Translator granted"),
    ("translator-revoked", "translator"): gettext_lazy("Translator's access ended"),
    ("admin-granted", ""): gettext_lazy("Platform administration granted"),
    ("admin-revoked", ""): gettext_lazy("Platform administration ended"),
}


@dataclass(frozen=True)
class GrantLine:
    at: datetime
    what: str
    person: str
    language: str


def grant_lines(covenant_id: int) -> list[GrantLine]:
    """The role grants of `grants_for` as the committee page shows them: what was
    granted and to whom, by the person's name, never the log-in name the audit
    trail keeps (docs/security.md T80). An account removed since is "Former user";
    an entry written before the trail kept the account's number is matched by that
    log-in name (an account since renamed reads as a former user too)."""
    entries = grants_for(covenant_id)
    details = [json.loads(e.detail or "{}") for e in entries]
    ids = {d["member_id"] for d in details if isinstance(d.get("member_id"), int)}
    names = {str(d.get("member", "")) for d in details if "member_id" not in d}
    by_id = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    by_name = {u.username: u for u in User.objects.filter(username__in=names)}
    lines = []
    for e, d in zip(entries, details, strict=True):
        if "member_id" in d:
            person = by_id.get(d["member_id"]) if isinstance(d["member_id"], int) else None
        else:
            person = by_name.get(str(d.get("member", "")))
        role = str(d.get("role", ""))
        what = GRANT_WORDS.get((e.action, role)) or f"{e.action} {role}".strip()
        lines.append(
            GrantLine(e.at, str(what), recorded_person(person), str(d.get("language", "")))
        )
    return lines
