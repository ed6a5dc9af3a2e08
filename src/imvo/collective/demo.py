"""Demo data: a joint action on the first facility two demo members share.

Runs after the supply-chain demo (the floors' order); does nothing when no
facility is shared. Adds no logins of its own."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone


def load() -> list[tuple[str, str]]:
    from imvo.accounts.models import User
    from imvo.collective import overlap
    from imvo.collective.models import JointAction
    from imvo.collective.services import cap, joint
    from imvo.covenants.models import Covenant

    if JointAction.objects.exists():
        return []
    for covenant in Covenant.objects.order_by("pk"):
        if not overlap.counts_shown(covenant.pk):
            continue  # members propose once K members disclose (joint.check_propose)
        shared = overlap.members_at(
            {link.facility_id for link in overlap._links(overlap._current(covenant.pk))},
            covenant.pk,
        )
        for facility_id, orgs in sorted(shared.items()):
            if len(orgs) < 2:
                continue
            first, second = sorted(orgs)[:2]
            proposer = User.objects.filter(organisation_id=first, is_active=True).first()
            joiner = User.objects.filter(organisation_id=second, is_active=True).first()
            if proposer is None or joiner is None:
                continue
            action = joint.check_propose(
                proposer, covenant, "Brandveiligheid en leefbaar loon",
                "Bij de audit van 2025 bleken nooduitgangen afgesloten en lonen onder de "
                "benchmark voor een leefbaar loon.",
                facility_id=facility_id, theme_code="health-safety",
            )  # fmt: skip
            joint.check_decide(joiner, action, "join")
            finding = cap.check_add_finding(
                proposer, action, "audit", "Twee nooduitgangen op slot tijdens werktijd."
            )
            item = cap.check_add_item(
                proposer, finding, "Sloten vervangen door panieksluitingen; dagelijkse controle door het veiligheidscomité.",
                "factory", timezone.localdate() + timedelta(days=60), Decimal("4200"),
            )  # fmt: skip
            cap.check_set_shares(proposer, item, {first: 50, second: 50})
            cap.check_agree_share(joiner, item)
            return []
    return []
