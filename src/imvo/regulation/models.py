"""What the law asks of covenant members, built on the one due-diligence record.

- `MappingRow`: a covenant's own mapping of a datapoint of the record (a
  question, the risk register, the action plan, complaints figures, the
  engagement log) to CSDDD articles, ESRS S2 disclosure requirements and the
  OECD step; rows not overridden come from `legal.DEFAULT_ROWS`.
- `EngagementEntry`: the stakeholder engagement log (CSDDD Art. 13, ESRS S2-2).
- `RetainedDocument`: an export as filed, kept for the legal retention period.
- `PlotUpload` / `Plot`: EUDR plots of land with their geolocation.
- `RiskListing`: a forced-labour risk area or product from an imported list.
- `SupplierRequest`: a member's information request to a supplier (value-chain cap).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any, Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link
from imvo.core.scoping import ScopedQuerySet, role_facts, scope_q
from imvo.covenants.models import covenant_and_organisation


class MappingRow(models.Model):
    """One datapoint of the record mapped to the law, as a covenant's secretariat set it."""

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="regulation_mapping"
    )
    key = models.CharField(_("datapoint"), max_length=120)
    label = models.CharField(_("label"), max_length=300)
    oecd_step = models.PositiveSmallIntegerField(_("OECD step"))
    articles = models.CharField(_("CSDDD articles"), max_length=60, help_text=_("e.g. 8, 9"))
    esrs = models.CharField(_("ESRS S2 disclosure requirements"), max_length=60)
    vsme = models.BooleanField(_("within the VSME standard"), default=False)
    legal_version = models.CharField(_("legal text version"), max_length=20)
    changed_by = acting_user()
    changed = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["covenant", "key"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "key"], name="reg_unique_mapping_key")
        ]


class EngagementQuerySet(ScopedQuerySet["EngagementEntry"]):
    """The member's own entries, its covenant's secretariat, and the union or NGO it names."""

    def visible_to(self, user: Any) -> Self:
        facts = role_facts(user)
        if not facts.signed_in:
            return self.none()
        q = scope_q(facts)
        if q is None:
            return self
        if facts.organisation:
            q |= models.Q(stakeholder_organisation_id=facts.organisation)
        return self.filter(q)


class EngagementEntry(models.Model):
    """Who was consulted, when, how, on what and with what outcome."""

    class Kind(models.TextChoices):
        RIGHTS_HOLDERS = "rights_holders", _("Workers or other rights holders")
        UNION = "union", _("Trade union")
        NGO = "ngo", _("NGO")
        OTHER = "other", _("Other stakeholder")

    class Method(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        INTERVIEW = "interview", _("Interviews")
        SURVEY = "survey", _("Survey")
        WORKSHOP = "workshop", _("Workshop")
        WRITTEN = "written", _("Written consultation")

    covenant, organisation = covenant_and_organisation("regulation_engagements")
    date = models.DateField(_("date"), default=date.today)
    kind = models.CharField(_("who"), max_length=20, choices=Kind.choices)
    stakeholder = models.CharField(_("stakeholder"), max_length=200)
    stakeholder_organisation = optional_link(
        "covenants.Organisation",
        related_name="regulation_engagements_named",
        verbose_name=_("union or NGO on the platform"),
    )
    method = models.CharField(_("how"), max_length=20, choices=Method.choices)
    topic = models.TextField(_("on what"))
    outcome = models.TextField(_("outcome"), blank=True)
    register_entries = models.ManyToManyField(
        "risk.RegisterEntry", blank=True, related_name="+", verbose_name=_("risks")
    )
    actions = models.ManyToManyField(
        "duediligence.Action", blank=True, related_name="+", verbose_name=_("actions")
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = acting_user()
    recorded = models.DateTimeField(default=timezone.now)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["covenant", "organisation", "-date", "id"]


def retained_path(instance: RetainedDocument, filename: str) -> str:
    # Not guessable: served only through the scoped download view.
    return f"regulation/retained/{instance.organisation_id}/{uuid.uuid4().hex}/{filename}"


class RetainedDocument(models.Model):
    """An export as it was filed (byte for byte), kept until `keep_until`."""

    class Kind(models.TextChoices):
        ESRS_S2 = "esrs_s2", _("ESRS S2 disclosure draft")
        CSDDD_PACK = "csddd_pack", _("CSDDD evidence pack")
        FORCED_LABOUR = "forced_labour", _("Forced-labour evidence file")
        EUDR = "eudr", _("EUDR geolocation")

    covenant, organisation = covenant_and_organisation(
        "regulation_documents", covenant_on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    fmt = models.CharField(_("format"), max_length=10)
    source = models.CharField(_("made from"), max_length=200)
    file = models.FileField(upload_to=retained_path)
    sha256 = models.CharField(max_length=64)
    created = models.DateTimeField(default=timezone.now)
    keep_until = models.DateField(_("kept until"))
    by = acting_user()

    objects = ScopedQuerySet["RetainedDocument"].as_manager()

    class Meta:
        ordering = ["organisation", "-created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "fmt", "source"], name="reg_unique_retained"
            )
        ]


class PlotUpload(models.Model):
    """A file of EUDR plots as uploaded, with its row-level errors (none imported if any)."""

    covenant, organisation = covenant_and_organisation("regulation_plot_uploads")
    name = models.CharField(_("file"), max_length=255)
    rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    created = models.DateTimeField(default=timezone.now)
    by = acting_user()

    objects = ScopedQuerySet["PlotUpload"].as_manager()

    class Meta:
        ordering = ["covenant", "organisation", "-created", "id"]


class Plot(models.Model):
    """A plot of land a relevant commodity was produced on (EUDR Art. 9(1)(d))."""

    covenant, organisation = covenant_and_organisation("regulation_plots")
    upload = models.ForeignKey(PlotUpload, on_delete=models.CASCADE, related_name="plots")
    plot_id = models.CharField(_("plot"), max_length=100)
    commodity = models.CharField(_("commodity"), max_length=20)
    country = models.CharField(_("country"), max_length=2)
    # GeoJSON geometry; coordinates kept as the uploaded decimal text (precision matters).
    geometry = models.JSONField()
    area_ha = models.DecimalField(_("area (ha)"), max_digits=12, decimal_places=4)
    supplier = models.CharField(_("supplier"), max_length=300, blank=True)
    dds_reference = models.CharField(
        _("due-diligence statement reference"), max_length=60, blank=True
    )
    upstream_references = models.CharField(
        _("upstream statement references"), max_length=600, blank=True
    )

    objects = ScopedQuerySet["Plot"].as_manager()

    class Meta:
        ordering = ["covenant", "organisation", "plot_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "organisation", "plot_id"], name="reg_unique_plot"
            )
        ]


class RiskListing(models.Model):
    """A forced-labour risk area or product from an imported list (the EU database)."""

    source = models.CharField(_("source"), max_length=100)
    country = models.CharField(_("country"), max_length=2)
    region = models.CharField(_("region"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=12, blank=True)
    reference = models.CharField(_("reference"), max_length=300, blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)
    imported = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source", "country", "product"]


def _token() -> str:
    return secrets.token_urlsafe(24)


class SupplierRequest(models.Model):
    """A member asks a supplier for due-diligence information through the platform."""

    covenant, organisation = covenant_and_organisation("regulation_requests")
    supplier = models.CharField(_("supplier"), max_length=300)
    employees = models.PositiveIntegerField(_("supplier's employees"))
    token = models.CharField(max_length=64, unique=True, default=_token)
    # [{"key", "text", "beyond_vsme"}] as asked (frozen when sent)
    questions = models.JSONField(default=list)
    # {key: {"answer": str} | {"declined": true}}
    responses = models.JSONField(default=dict)
    created = models.DateTimeField(default=timezone.now)
    answered = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet["SupplierRequest"].as_manager()

    class Meta:
        ordering = ["covenant", "organisation", "-created"]
