"""Applications to join a covenant: a company applies online, the secretariat admits.

The applicant gives its organisation's data, a contact and accepts the
covenant's conditions; nothing is created in the covenant until the
secretariat admits it with a start date (then the organisation, its adherence
and an invitation for the contact are made) or rejects it with a reason.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link, status_field
from imvo.covenants.models.core import Covenant, Organisation


class MembershipApplication(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretariat")
        ADMITTED = "admitted", _("Admitted")
        REJECTED = "rejected", _("Not admitted")

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="applications")
    organisation_name = models.CharField(_("name of the organisation"), max_length=200)
    organisation_type = models.CharField(
        _("type"),
        max_length=20,
        choices=Organisation.Type.choices,
        default=Organisation.Type.COMPANY,
    )
    country = models.CharField(_("country"), max_length=2, default="NL")
    website = models.URLField(_("website"), blank=True)
    chamber_of_commerce = models.CharField(
        _("Chamber of Commerce number"), max_length=20, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail address"))
    motivation = models.TextField(_("why the organisation wants to join"), blank=True)
    conditions_accepted = models.BooleanField(_("accepts the covenant's conditions"))
    submitted = models.DateTimeField(default=timezone.now)
    status = status_field(Status.PENDING)
    start_date = models.DateField(_("member from"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided = models.DateTimeField(null=True, blank=True)
    decided_by = acting_user()
    organisation = optional_link(Organisation, related_name="applications")

    class Meta:
        ordering = ["-submitted"]
        verbose_name = _("membership application")

    def __str__(self) -> str:
        return f"{self.organisation_name} -> {self.covenant}"
