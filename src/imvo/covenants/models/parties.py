"""The obstacles register: problems parties cannot solve without government.

The SER advice gives government its own contribution: solving obstacles in the
government sphere, diplomacy, the embassies. Any party raises an obstacle
(country, theme, what is asked of government); the government party accepts
it, assigns it (a ministry, an embassy), reports the actions taken and closes
it with a result. The register feeds the yearly report.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link, status_field
from imvo.covenants.models.core import Covenant, Organisation, Theme


class Obstacle(models.Model):
    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        ACCEPTED = "accepted", _("Accepted by government")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="obstacles")
    raised_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="obstacles_raised"
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    theme = optional_link(Theme, verbose_name=_("theme"))
    title = models.CharField(_("obstacle"), max_length=300)
    description = models.TextField(_("what is the problem"))
    ask = models.TextField(_("what is asked of government"))
    status = status_field(Status.RAISED)
    assigned_to = models.CharField(_("assigned to (ministry, embassy)"), max_length=200, blank=True)
    result = models.TextField(_("result"), blank=True)
    # The language each text was written in (the writer's page language, as
    # KpiComment): a reader in another language sees the text marked. `language`
    # is the raiser's (title, description, ask), `result_language` government's.
    language = models.CharField(_("language"), max_length=10, default="nl")
    result_language = models.CharField(_("language of the result"), max_length=10, default="nl")
    raised = models.DateTimeField(default=timezone.now)
    closed = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-raised"]
        verbose_name = _("obstacle")

    def __str__(self) -> str:
        return self.title


class ObstacleAction(models.Model):
    """An action the government party reports on an obstacle; never erased."""

    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="actions")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("action taken"))
    language = models.CharField(_("language"), max_length=10, default="nl")
    by = acting_user()
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["obstacle", "date", "id"]


class KpiComment(models.Model):
    """A party's comment on an agreement's KPI progress, shown beside the figures.

    Parties hold each other to the agreements: a union notes that the audits
    counted were announced, a company explains a dip. Read by the covenant's
    parties and its secretariat; written in the author's language, which is
    kept so a reader in the other language sees it marked."""

    agreement = models.ForeignKey(
        "covenants.Agreement", on_delete=models.CASCADE, related_name="comments"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = acting_user()
    text = models.TextField(_("comment"))
    language = models.CharField(_("language"), max_length=10, default="nl")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreement", "created", "id"]
        verbose_name = _("comment on KPI progress")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.text[:40]}"
