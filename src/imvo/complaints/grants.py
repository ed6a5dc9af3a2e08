"""Every role grant that opens complaint cases (a committee seat, the
secretariat's case-officer role, platform administration) is written to the
complaint audit trail, whoever made it and however (the admin included), and
shown on the committee page. Connected in `ComplaintsConfig.connect`.

Grants bound to one case (a substitute member, a translator) are written by
their services through `audit_grant` too, so the committee page lists them."""

from __future__ import annotations

from typing import Any

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
