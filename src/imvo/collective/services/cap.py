"""The facility's corrective action plan: findings, items, cost shares, verification.

After the Bangladesh and Pakistan Accords: each finding gets items with a fix,
an owner, a deadline and a cost estimate; the members that joined agree how
they share each item's cost; an item counts as fixed only when a named
verifier (auditor, union, engineer) checked it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.models import User
from imvo.collective.models import CapItem, CostShare, Finding, JointAction, Participation, Verifier
from imvo.collective.services import access
from imvo.core.errors import DomainError, PermissionDeniedError

HUNDRED = Decimal(100)


def _by(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


# --- findings and items ------------------------------------------------------------------


def check_add_finding(
    user: Any,
    action: JointAction,
    source: str,
    description: str,
    theme_code: str = "",
    found_on: date | None = None,
) -> Finding:
    access.require_work(user, action)
    access.require_open(action)
    if source not in Finding.Source.values:
        raise DomainError(_("Say where the finding comes from: audit, complaint, union signal, "
                            "workers' report or other."))  # fmt: skip
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe the finding."))
    return Finding.objects.create(
        action=action, source=source, description=description,
        theme_code=(theme_code or action.theme_code).strip(), found_on=found_on, created_by=_by(user),
    )  # fmt: skip


def _money(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise DomainError(
            _("Cost estimate: %(v)s is not an amount in euros.") % {"v": value}
        ) from None
    if amount < 0 or not amount.is_finite():
        raise DomainError(_("Cost estimate cannot be negative."))
    return amount.quantize(Decimal("0.01"))


def check_add_item(
    user: Any,
    finding: Finding,
    fix: str,
    owner: str,
    deadline: date | None,
    cost_estimate: Any = None,
    owner_note: str = "",
) -> CapItem:
    action = finding.action
    access.require_work(user, action)
    access.require_open(action)
    fix = (fix or "").strip()
    if not fix:
        raise DomainError(_("Describe the fix."))
    if owner not in CapItem.Owner.values:
        raise DomainError(_("Choose who owns the fix: factory, member(s), union or other."))
    if deadline is None:
        raise DomainError(_("Give the fix a deadline."))
    return CapItem.objects.create(
        finding=finding, fix=fix, owner=owner, owner_note=(owner_note or "").strip()[:200],
        deadline=deadline, cost_estimate=_money(cost_estimate),
    )  # fmt: skip


# --- cost shares -------------------------------------------------------------------------


def _joined_ids(action: JointAction) -> set[int]:
    return set(
        action.participations.filter(status=Participation.Status.JOINED).values_list(
            "organisation_id", flat=True
        )
    )


def check_set_shares(user: Any, item: CapItem, shares: dict[int, Any]) -> list[CostShare]:
    """Propose how the joined members share an item's cost (percent, adding up to 100).

    A new proposal replaces the old one and asks every member to agree again;
    the proposing member agrees by proposing."""
    action = item.action
    access.require_work(user, action)
    access.require_open(action)
    joined = _joined_ids(action)
    clean: dict[int, Decimal] = {}
    for org_id, raw in shares.items():
        if org_id not in joined:
            raise DomainError(_("Only members that joined the action share its costs."))
        try:
            pct = Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else Decimal(0)
        except InvalidOperation:
            raise DomainError(_("Share %(v)s is not a percentage.") % {"v": raw}) from None
        if not (0 <= pct <= HUNDRED):
            raise DomainError(_("Each share is between 0 and 100 %."))
        if pct > 0:
            clean[org_id] = pct.quantize(Decimal("0.01"))
    total = sum(clean.values(), Decimal(0))
    if total != HUNDRED:
        raise DomainError(
            _("The shares add up to %(t)s %%; they must add up to 100 %%.") % {"t": total}
        )
    return do_set_shares(user, item, clean)


def do_set_shares(user: Any, item: CapItem, shares: dict[int, Decimal]) -> list[CostShare]:
    from imvo.accounts import seams as roles

    proposer = roles.organisation_id(user)
    now = timezone.now()
    with transaction.atomic():
        item.shares.all().delete()
        rows = [
            CostShare(
                item=item,
                organisation_id=o,
                percent=p,
                agreed=now if o == proposer else None,
                agreed_by=_by(user) if o == proposer else None,
            )
            for o, p in sorted(shares.items())
        ]
        CostShare.objects.bulk_create(rows)
    return list(item.shares.all())


def check_agree_share(user: Any, item: CapItem) -> CostShare:
    """A joined member agrees to its share of the item's cost."""
    from imvo.accounts import seams as roles

    action = item.action
    if not access.has_joined(user, action):
        raise PermissionDeniedError(_("Only members that joined the action agree cost shares."))
    access.require_open(action)
    org = roles.organisation_id(user)
    share = item.shares.filter(organisation_id=org).first() if org is not None else None
    if share is None:
        raise DomainError(_("No share of this item's cost is proposed for your organisation."))
    share.agreed = timezone.now()
    share.agreed_by = _by(user)
    share.save(update_fields=["agreed", "agreed_by"])
    return share


def shares_agreed(item: CapItem) -> bool:
    rows = list(item.shares.all())
    return bool(rows) and all(s.agreed for s in rows) and sum(s.percent for s in rows) == HUNDRED


# --- status, evidence and verification --------------------------------------------------


def check_report(user: Any, item: CapItem, status: str, evidence: str = "") -> CapItem:
    """A joined member or the secretariat moves an item on; 'reported' needs evidence."""
    action = item.action
    access.require_work(user, action)
    access.require_open(action)
    allowed = {CapItem.Status.IN_PROGRESS, CapItem.Status.REPORTED}
    if status not in allowed:
        raise DomainError(_("An item is set in progress or reported fixed; only its verifier "
                            "marks it verified."))  # fmt: skip
    if item.status == CapItem.Status.VERIFIED:
        raise DomainError(_("This item is already fixed and verified."))
    evidence = (evidence or "").strip()
    if status == CapItem.Status.REPORTED and not evidence:
        raise DomainError(_("Say what shows the fix (evidence) before reporting it fixed."))
    item.status = status
    if evidence:
        item.evidence = evidence
    item.reported = timezone.now() if status == CapItem.Status.REPORTED else None
    item.save(update_fields=["status", "evidence", "reported"])
    return item


def check_verify(user: Any, item: CapItem, accept: bool, note: str = "") -> CapItem:
    """The named verifier confirms the fix (it now counts) or sends it back with a reason."""
    action = item.action
    if not access.is_verifier(user, action):
        raise PermissionDeniedError(_("Only a verifier named for this action verifies its items."))
    access.require_open(action)
    if item.status != CapItem.Status.REPORTED:
        raise DomainError(_("Only an item reported fixed, with evidence, can be verified."))
    note = (note or "").strip()
    if not accept and not note:
        raise DomainError(_("Say why the fix is not accepted, so it can be put right."))
    item.status = CapItem.Status.VERIFIED if accept else CapItem.Status.IN_PROGRESS
    item.verified_by = user if accept else None
    item.verified = timezone.now() if accept else None
    item.verification_note = note
    item.save(update_fields=["status", "verified_by", "verified", "verification_note"])
    return item


def check_name_verifier(user: Any, action: JointAction, username: str, kind: str) -> Verifier:
    """Name the person who verifies fixes. Independent: not from a member company."""
    access.require_work(user, action)
    access.require_open(action)
    if kind not in Verifier.Kind.values:
        raise DomainError(_("Say what the verifier verifies as: auditor, union, engineer, other."))
    who = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    org = who.organisation if who is not None else None
    if who is None or (org is not None and org.type == "company"):
        # One refusal for both: user names are e-mail addresses, and a member
        # must not learn who has an account or works at a member company (T72).
        raise DomainError(
            _(
                "No independent verifier has the user name %(u)s: a verifier has an"
                " active account, not of a member company."
            )
            % {"u": username}
        )
    verifier, _created = Verifier.objects.get_or_create(
        action=action, user=who, defaults={"kind": kind, "named_by": _by(user)}
    )
    return verifier


# --- public consent ----------------------------------------------------------------------


def check_consent(user: Any, action: JointAction, *, member: bool | None = None,
                  facility: bool | None = None, note: str = "") -> JointAction:  # fmt: skip
    """A joined member gives (or takes back) its consent to publish the CAP status;
    the secretariat or a joined member records the facility's consent."""
    access.require_work(user, action)
    if member is not None:
        p = access.participation(user, action)
        if p is None or p.status != Participation.Status.JOINED:
            raise PermissionDeniedError(_("Only a member that joined gives its own consent."))
        p.public_consent = member
        p.save(update_fields=["public_consent"])
    if facility is not None:
        if facility and not (note or "").strip():
            raise DomainError(_("Record how the facility agreed (who, when, in writing?)."))
        action.facility_consent = facility
        action.facility_consent_note = (note or "").strip()[:300]
        action.save(update_fields=["facility_consent", "facility_consent_note"])
    return action


def is_public(action: JointAction, rows: list[Participation] | None = None) -> bool:
    """A facility's CAP status is public only when the facility and every joined member
    agreed (`rows`: the action's participations, when read already)."""
    if not action.facility_consent or action.facility_id is None:
        return False
    if rows is None:
        rows = list(action.participations.all())
    joined = [p for p in rows if p.status == Participation.Status.JOINED]
    return bool(joined) and all(p.public_consent for p in joined)


def check_close(user: Any, action: JointAction) -> JointAction:
    access.require_work(user, action)
    access.require_open(action)
    items = CapItem.objects.filter(finding__action=action)
    if not items.exists() or items.exclude(status=CapItem.Status.VERIFIED).exists():
        raise DomainError(_("An action closes when every item of its plan is fixed and verified."))
    action.status = JointAction.Status.CLOSED
    action.save(update_fields=["status"])
    return action
