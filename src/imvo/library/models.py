"""The learning library: good practices and lessons learned that a covenant's
parties, stakeholders and secretariat publish for all sectors to learn from.

Moved out of ``reporting`` (it is its own concept, read by the open data);
the tables kept their rows: ``reporting.0002`` renamed them, ``library.0001``
takes them over.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link


class LearningItem(models.Model):
    """A good practice or lesson learned that a party publishes for all sectors to learn from."""

    class Kind(models.TextChoices):
        GOOD_PRACTICE = "good_practice", _("Good practice")
        LESSON = "lesson", _("Lesson learned")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.GOOD_PRACTICE
    )
    covenant = models.ForeignKey(
        "covenants.Covenant",
        on_delete=models.CASCADE,
        related_name="learning_items",
        verbose_name=_("covenant"),
    )
    theme = optional_link("covenants.Theme", related_name="learning_items", verbose_name=_("theme"))
    sector = models.CharField(_("sector"), max_length=30, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    text = models.TextField(_("text"))
    organisation = optional_link(
        "covenants.Organisation",
        related_name="learning_items",
        verbose_name=_("published by organisation"),
    )
    author = acting_user(related_name=None)
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("learning library item")
        verbose_name_plural = _("learning library items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:detail", args=[self.pk])


class LearningAttachment(models.Model):
    """A file attached to a learning item; size and type are checked on upload."""

    item = models.ForeignKey(LearningItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="learning/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.name
