"""Joint action on shared facilities: leverage, joint actions, corrective action plans.

Three layers, each with its own visibility (docs/collective-action.md):

- `Leverage`: a member's relationship with one facility (purchase-share band,
  years, order value). Private to the member and the covenant's secretariat.
  A record per (organisation, facility), not a column on a supplier-list row:
  rows are versioned every year, the relationship outlives them.
- `JointAction` with its `Participation`s: a proposal to act together on a
  facility (or on a risk in a region). Invited members see the action, never
  who else was invited; members who joined see the other joined members; the
  secretariat sees all.
- The facility's corrective action plan (CAP) on the action: `Finding`s, each
  with `CapItem`s (fix, owner, deadline, cost estimate, `CostShare`s), checked
  by a named `Verifier`, and the `Notice` ladder ending in an `ExitPlan`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link
from imvo.core.scoping import ScopedQuerySet, role_facts


class ShareBand(models.TextChoices):
    """The member's share of the facility's output (Prewave's purchase-share bands)."""

    B0_1 = "0-1", _("0-1 %")
    B1_3 = "1-3", _("1-3 %")
    B3_7 = "3-7", _("3-7 %")
    B7_20 = "7-20", _("7-20 %")
    B20_100 = "20-100", _("20-100 %")


class Leverage(models.Model):
    """A member's leverage at one facility: private to the member and the secretariat."""

    covenant = models.ForeignKey("covenants.Covenant", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    facility = models.ForeignKey("supplychain.Facility", on_delete=models.CASCADE, related_name="+")
    share_band = models.CharField(
        _("purchase share at the facility"), max_length=10, choices=ShareBand.choices, blank=True
    )
    years = models.PositiveSmallIntegerField(_("years of relationship"), null=True, blank=True)
    order_value = models.PositiveIntegerField(
        _("order value per year (EUR)"), null=True, blank=True
    )
    updated = models.DateTimeField(default=timezone.now)
    updated_by = acting_user()

    objects = ScopedQuerySet["Leverage"].as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "facility"], name="collective_one_leverage_per_facility"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.facility_id}: {self.share_band}"


class JointActionQuerySet(models.QuerySet["JointAction"]):
    def visible_to(self, user: Any) -> Self:
        """The secretariat of the covenant; members invited to or in the action while
        they are active member companies of its covenant; its named verifiers;
        platform admins. A member that declined or left sees it no more."""
        facts = role_facts(user)
        if not facts.signed_in:
            return self.none()
        if facts.platform_admin:
            return self
        q = Q(covenant_id__in=facts.managed_covenants) | Q(verifiers__user_id=user.pk)
        if facts.organisation:
            # Only in covenants the organisation is still an active member company
            # of: one that left kept reading who joined (docs/security.md, T78).
            from imvo.covenants.seams import company_party_adherences

            q |= Q(
                participations__organisation_id=facts.organisation,
                participations__status__in=Participation.SEES_ACTION,
                covenant_id__in=company_party_adherences(facts.organisation).values("covenant_id"),
            )
        return self.filter(q).distinct()


class JointAction(models.Model):
    """A proposal to act together on a facility, or on a risk in a region."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed: all items fixed and verified")
        EXITED = "exited", _("Ended by a responsible exit")

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="joint_actions"
    )
    facility = optional_link(
        "supplychain.Facility",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("facility"),
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    theme_code = models.SlugField(_("theme"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what the action is about"), blank=True)
    proposed_by_org = optional_link("covenants.Organisation", related_name="+")
    proposed_by = acting_user()
    created = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The facility's own consent to make its CAP status public (recorded by the
    # secretariat or a joined member, with what the factory said).
    facility_consent = models.BooleanField(default=False)
    facility_consent_note = models.CharField(max_length=300, blank=True)

    objects = JointActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title


class Participation(models.Model):
    """One member's place in a joint action: invited, joined, declined or left."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        JOINED = "joined", _("Joined")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")

    SEES_ACTION = (Status.INVITED, Status.JOINED)

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited = models.DateTimeField(default=timezone.now)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = acting_user()
    # This member agrees that the facility's CAP status may be public.
    public_consent = models.BooleanField(default=False)

    class Meta:
        ordering = ["action", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation"], name="collective_one_participation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} in {self.action_id}: {self.status}"


class Verifier(models.Model):
    """A named person who checks on site that an item is fixed (Accord engineers, a union)."""

    class Kind(models.TextChoices):
        AUDITOR = "auditor", _("Auditor")
        UNION = "union", _("Trade union")
        ENGINEER = "engineer", _("Engineer")
        OTHER = "other", _("Other")

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="verifiers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("verifies as"), max_length=10, choices=Kind.choices)
    named_by = acting_user()
    named = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "user"], name="collective_one_verifier_row")
        ]


class Finding(models.Model):
    """Something found wrong at the facility, with where it came from."""

    class Source(models.TextChoices):
        AUDIT = "audit", _("Audit")
        COMPLAINT = "complaint", _("Complaint")
        UNION = "union", _("Union signal")
        WORKERS = "workers", _("Workers' report")
        OTHER = "other", _("Other")

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    theme_code = models.SlugField(_("theme"), max_length=60, blank=True)
    description = models.TextField(_("finding"))
    found_on = models.DateField(_("found on"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = acting_user()
    # The complaint whose remedy made this finding (services/from_complaint.py). Never
    # shown: it only keeps a complaint from adding the same finding twice.
    complaint_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["action", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "complaint_id"], name="collective_one_finding_per_complaint"
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]


class CapItem(models.Model):
    """One corrective action of a finding; counts as fixed only once verified."""

    class Owner(models.TextChoices):
        FACTORY = "factory", _("Factory")
        MEMBER = "member", _("Member(s)")
        UNION = "union", _("Union")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        REPORTED = "reported", _("Reported fixed, awaiting verification")
        VERIFIED = "verified", _("Fixed and verified")

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="items")
    fix = models.TextField(_("fix"))
    owner = models.CharField(_("owner"), max_length=10, choices=Owner.choices)
    owner_note = models.CharField(_("owner (who exactly)"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"))
    cost_estimate = models.DecimalField(
        _("cost estimate (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    evidence = models.TextField(_("evidence"), blank=True)
    reported = models.DateTimeField(null=True, blank=True)
    verified_by = acting_user()
    verified = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["finding", "deadline", "id"]

    def __str__(self) -> str:
        return self.fix[:60]

    @property
    def action(self) -> JointAction:
        return self.finding.action


class CostShare(models.Model):
    """A joined member's agreed share of an item's cost, in percent."""

    item = models.ForeignKey(CapItem, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    agreed = models.DateTimeField(null=True, blank=True)
    agreed_by = acting_user()

    class Meta:
        ordering = ["item", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "organisation"], name="collective_one_share"),
            models.CheckConstraint(
                condition=Q(percent__gte=Decimal(0), percent__lte=Decimal(100)),
                name="collective_share_0_100",
            ),
        ]


class Notice(models.Model):
    """A step of the notice-and-warning ladder for a facility that does not cooperate."""

    class Level(models.IntegerChoices):
        NOTICE = 1, _("Notice")
        WARNING = 2, _("Warning")
        FINAL = 3, _("Final warning")

    action = models.ForeignKey(JointAction, on_delete=models.CASCADE, related_name="notices")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    text = models.TextField(_("what the facility failed to do, and what it must do by when"))
    sent = models.DateTimeField(default=timezone.now)
    by = acting_user()

    class Meta:
        ordering = ["action", "level"]
        constraints = [
            models.UniqueConstraint(fields=["action", "level"], name="collective_one_notice_level")
        ]


class ExitPlan(models.Model):
    """The end of the ladder: a responsible exit, recording how workers are protected."""

    action = models.OneToOneField(JointAction, on_delete=models.CASCADE, related_name="exit_plan")
    worker_protection = models.TextField(_("how workers are protected"))
    wages_and_severance = models.TextField(_("wages and severance owed, and who pays them"))
    phase_out_until = models.DateField(_("orders phased out until"))
    union_consulted = models.BooleanField(_("the union was consulted"), default=False)
    decided = models.DateTimeField(default=timezone.now)
    by = acting_user()


class PlanLink(models.Model):
    """A member's action-plan action tied to a register entry and/or a CAP item.

    Kept here, one floor above due diligence and risk, so neither has to know
    about joint action."""

    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    plan_action = models.ForeignKey(
        "duediligence.Action", on_delete=models.CASCADE, related_name="+"
    )
    register_entry = optional_link("risk.RegisterEntry", on_delete=models.CASCADE, related_name="+")
    cap_item = optional_link(CapItem, on_delete=models.CASCADE, related_name="plan_links")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(register_entry__isnull=False) | Q(cap_item__isnull=False),
                name="collective_link_points_somewhere",
            )
        ]


class CapKpi(models.Model):
    """A covenant agreement whose KPI measures joint corrective action plans.

    The secretariat ties the agreement to one measure; the platform then records
    the KPI's measurement itself whenever an item changes (services/kpi.py)."""

    class Measure(models.TextChoices):
        VERIFIED_SHARE = "verified_share", _("Share of CAP items fixed and verified (%)")
        VERIFIED = "verified", _("CAP items fixed and verified")
        FACILITIES = "facilities", _("Facilities under a corrective action plan")

    agreement = models.OneToOneField(
        "covenants.Agreement", on_delete=models.CASCADE, related_name="+"
    )
    measure = models.CharField(_("what the KPI measures"), max_length=20, choices=Measure.choices)
    tied_by = acting_user()
    tied = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.measure}"
