"""Risk models: indicator data with its provenance, a company's sourcing, its risk register.

Indicator values always keep where they come from (source, edition year,
licence). The risk register is the company's own prioritisation of its
salient risks (UNGP 14, 17 and 24): severity (scale, scope, irremediable
character), likelihood, involvement and leverage; a person may override the
computed priority, and the reason is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link, status_field

if TYPE_CHECKING:
    from imvo.accounts.seams import AnyUser


class IndicatorSource(models.Model):
    """One edition of a published indicator data set (e.g. ITUC Global Rights Index 2024)."""

    code = models.SlugField(_("source"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200)
    edition_year = models.PositiveSmallIntegerField(_("edition year"))
    licence = models.CharField(_("licence"), max_length=200)
    url = models.URLField(_("url"), blank=True)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    imported = models.DateTimeField(_("imported"), default=timezone.now)

    class Meta:
        ordering = ["code", "-edition_year"]
        constraints = [
            models.UniqueConstraint(fields=["code", "edition_year"], name="unique_source_edition")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.edition_year} ({self.publisher})"


class IndicatorValue(models.Model):
    """The value of one indicator for one country in one source edition."""

    source = models.ForeignKey(IndicatorSource, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(_("indicator"), max_length=40)
    country = models.CharField(_("country"), max_length=2)
    value = models.FloatField(_("value"))
    raw = models.CharField(_("as published"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "indicator", "country"], name="unique_indicator_value"
            )
        ]


class ListedGood(models.Model):
    """A good listed by ILAB as produced with child and/or forced labour in a country."""

    source = models.ForeignKey(IndicatorSource, on_delete=models.CASCADE, related_name="goods")
    country = models.CharField(_("country"), max_length=2)
    good = models.CharField(_("good"), max_length=200)
    child_labour = models.BooleanField(_("child labour"), default=False)
    forced_labour = models.BooleanField(_("forced labour"), default=False)

    class Meta:
        ordering = ["country", "good"]


class SourcingEntry(models.Model):
    """A country and product a company sources from, entered by hand (no supplier list needed)."""

    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="risk_sourcing"
    )
    country = models.CharField(_("country"), max_length=2)
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "product"]


class RegisterQuerySet(models.QuerySet["RegisterEntry"]):
    def visible_to(self, user: AnyUser) -> QuerySet[RegisterEntry]:
        """A company's register is confidential: its own members (and platform admins) only."""
        from imvo.accounts import seams as roles

        if roles.is_platform_admin(user):
            return self.all()
        org_id = roles.organisation_id(user)
        if org_id is None:
            return self.none()
        return self.filter(organisation_id=org_id)


class RegisterEntry(models.Model):
    """One risk in a company's risk register, prioritised by severity and likelihood."""

    class Involvement(models.TextChoices):
        CAUSE = "cause", _("Causes")
        CONTRIBUTE = "contribute", _("Contributes to")
        DIRECTLY_LINKED = "directly_linked", _("Directly linked to")

    class Status(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        ASSESSING = "assessing", _("Being assessed")
        ACTING = "acting", _("Action under way")
        MONITORING = "monitoring", _("Monitoring")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="risk_entries"
    )
    covenant = optional_link("covenants.Covenant", related_name="+")
    theme = optional_link("covenants.Theme", related_name="+")
    theme_code = models.SlugField(_("theme"), max_length=60)
    country = models.CharField(_("country"), max_length=2, blank=True)
    product = models.CharField(_("product or sector"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    scale = models.PositiveSmallIntegerField(_("scale"), default=2)
    scope = models.PositiveSmallIntegerField(_("scope"), default=2)
    irremediability = models.PositiveSmallIntegerField(_("irremediable character"), default=2)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), default=2)
    severity = models.PositiveSmallIntegerField(_("severity"), default=6)
    computed_priority = models.FloatField(_("computed priority"), default=0)
    override_priority = models.FloatField(_("priority set by hand"), null=True, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    priority = models.FloatField(_("priority"), default=0, db_index=True)
    involvement = models.CharField(
        _("involvement"),
        max_length=20,
        choices=Involvement.choices,
        default=Involvement.DIRECTLY_LINKED,
    )
    leverage = models.TextField(_("leverage"), blank=True)
    leverage_share = models.FloatField(
        _("share of the facility's output (%)"), null=True, blank=True
    )
    members_sharing = models.PositiveIntegerField(
        _("other covenant members sourcing there"), null=True, blank=True
    )
    status = status_field(Status.IDENTIFIED)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    inherent_score = models.FloatField(_("inherent risk from the scan"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RegisterQuerySet.as_manager()

    class Meta:
        ordering = ["-priority", "id"]
        verbose_name = _("risk register entry")
        verbose_name_plural = _("risk register entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale__gte=1, scale__lte=4)
                & Q(scope__gte=1, scope__lte=4)
                & Q(irremediability__gte=1, irremediability__lte=4)
                & Q(likelihood__gte=1, likelihood__lte=4),
                name="risk_entry_scales_1_4",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def heading(self) -> str:
        """The title in the reader's language (see `reader_heading`)."""
        return reader_heading(self.title, self.theme_code, self.country)


def reader_heading(title: str, theme_code: str, country: str) -> str:
    """A register title in the reader's language. The scan writes "theme - country" in
    the language active when it ran ("Dwangarbeid - China"); such a title is shown
    again from its theme and country, in the language of whoever reads it. A title
    the member wrote itself is shown as written."""
    from django.utils import translation

    from imvo.risk.reference import THEME_LABELS
    from imvo.supplychain.seams import country_name

    label = THEME_LABELS.get(theme_code)
    if label is None:
        return title
    name = country_name(country)
    for lang in ("nl", "en"):
        with translation.override(lang):
            written_by_scan = title == f"{label} - {name}"
        if written_by_scan:
            return f"{label} - {name}"  # the lazy label, now in the reader's language
    return title


class PriorityOverride(models.Model):
    """The history of hand-set priorities: who, when, from what to what, and why."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="overrides")
    previous = models.FloatField(null=True, blank=True)
    new = models.FloatField(null=True, blank=True)
    reason = models.TextField()
    by = acting_user()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]


class PartyRelease(models.Model):
    """The covenant's sector risk analysis as its union, NGO, government and branch
    parties read it, frozen (docs/risk.md, "What parties see"; docs/security.md T51).

    Live figures would show each member's change the day it is made. A new release is
    made only when nothing member-specific moved (an indicator edition, the covenant's
    K) or when K members' sourcing changed since the last one, so two releases never
    differ by the sourcing of fewer than K members. `members` holds a fingerprint of
    each member's sourcing (by organisation id, never shown); `pages` the party view
    as data, its words put in the reader's language on reading (`party_release`;
    one page, "en", since December 2026; releases before hold "nl" and "en").
    """

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="risk_party_releases"
    )
    made = models.DateTimeField(_("released"), default=timezone.now)
    minimum = models.PositiveSmallIntegerField(_("minimum members (K)"))
    indicators = models.CharField(_("indicator data"), max_length=200)
    members = models.JSONField(_("member fingerprints"), default=dict)
    pages = models.JSONField(_("analysis per language"), default=dict)

    class Meta:
        ordering = ["-made", "-pk"]
        get_latest_by = ["made", "pk"]

    def __str__(self) -> str:
        return f"{self.covenant} {self.made:%Y-%m-%d %H:%M}"
