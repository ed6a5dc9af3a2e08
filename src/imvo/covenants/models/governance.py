"""Meetings of the governance bodies, their agenda, papers, minutes and decisions.

The SER's joint secretariat organises and minutes the meetings of a covenant's
bodies (the steering group above all). A decision is recorded with its text,
date, body and how it was taken (consensus or vote) so that other parts of the
platform can cite it: an escalation or an exclusion names the decision it
rests on. Papers and minutes carry a visibility: the body's members, all
parties of the covenant, or the public.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link, status_field
from imvo.core.i18n import Bilingual
from imvo.covenants.models.core import Covenant, GovernanceBody


class Visibility(models.TextChoices):
    BODY = "body", _("Members of the body")
    PARTIES = "parties", _("All parties of the covenant")
    PUBLIC = "public", _("Public")


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    body = models.ForeignKey(
        GovernanceBody, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("body")
    )
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = status_field(Status.PLANNED)
    minutes_nl = models.TextField(_("minutes (Dutch)"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    minutes_visibility = models.CharField(
        _("minutes visible to"), max_length=20, choices=Visibility.choices, default=Visibility.BODY
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")

    def __str__(self) -> str:
        return f"{self.body.name} {self.date:%Y-%m-%d}"

    @property
    def covenant(self) -> Covenant:
        return self.body.covenant

    minutes = Bilingual()


class AgendaItem(models.Model):
    """An item on a meeting's agenda, with its paper (if any) and who may read it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    paper_nl = models.TextField(_("paper (Dutch)"), blank=True)
    paper_en = models.TextField(_("paper (English)"), blank=True)
    paper_visibility = models.CharField(
        _("paper visible to"), max_length=20, choices=Visibility.choices, default=Visibility.BODY
    )
    # The paper as a file (a PDF, a document), stored under a random name; read and
    # downloaded under the same visibility as the paper's text.
    paper_file = models.FileField(_("paper (file)"), upload_to="governance/papers/", blank=True)
    paper_file_name = models.CharField(max_length=200, blank=True)
    paper_content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")

    def __str__(self) -> str:
        return self.title

    title = Bilingual()

    paper = Bilingual()


class Decision(models.Model):
    """A decision of a governance body, citable by its number (e.g. 'SG 2026-03')."""

    class Mode(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        VOTE = "vote", _("Vote")

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="decisions")
    body = models.ForeignKey(
        GovernanceBody, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("body")
    )
    meeting = optional_link(Meeting, related_name="decisions", verbose_name=_("meeting"))
    number = models.CharField(_("number"), max_length=30)
    date = models.DateField(_("date"), default=date.today)
    text_nl = models.TextField(_("decision (Dutch)"))
    text_en = models.TextField(_("decision (English)"))
    mode = models.CharField(
        _("taken by"), max_length=20, choices=Mode.choices, default=Mode.CONSENSUS
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    visibility = models.CharField(
        _("visible to"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    recorded_by = acting_user()
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("decision")
        constraints = [
            models.UniqueConstraint(fields=["covenant", "number"], name="unique_decision_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.body.name}, {self.date:%Y-%m-%d})"

    text = Bilingual()
