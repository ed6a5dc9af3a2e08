"""Reporting and transparency: yearly progress reports and their frozen
published versions (the learning library is its own app, ``imvo.library``).

A covenant's yearly progress report is generated from the data; before
publishing, the secretariat adds its own text per section in Dutch and English
(:class:`SectionText`). Publishing freezes a :class:`PublishedReport`: the data
snapshot, the rendered HTML and the PDF are stored, so later changes to the
data never alter what was published.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user
from imvo.core.i18n import Bilingual


class SectionText(models.Model):
    """The secretariat's own text for one section of a covenant's yearly report (draft),
    in Dutch and English; each edition of the report shows the one in its language
    (``text``), the other marked as a fallback where its own is missing."""

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="report_texts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    section_key = models.CharField(_("section"), max_length=60)
    text_nl = models.TextField(_("text (Dutch)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    updated = models.DateTimeField(default=timezone.now)
    updated_by = acting_user(related_name=None)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "year", "section_key"], name="unique_report_section_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.covenant} {self.year} {self.section_key}"

    # Read in the reader's language (nl or en), from the text_nl/_en fields.
    text = Bilingual()


class PublishedReport(models.Model):
    """A frozen version of a covenant's yearly progress report.

    A year may be published more than once (a corrected edition); each
    publication is a new version and the earlier ones stay readable. A version
    is stored once per fully translated language (nl, en).
    """

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.PROTECT, related_name="published_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=10, default="en")
    snapshot = models.JSONField(_("data snapshot"))
    html = models.TextField(_("rendered report"))
    pdf = models.BinaryField(_("PDF"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = acting_user(related_name=None)

    class Meta:
        ordering = ["covenant", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "year", "version", "language"],
                name="unique_published_report_version",
            )
        ]
        verbose_name = _("published report")
        verbose_name_plural = _("published reports")

    def __str__(self) -> str:
        return f"{self.covenant} {self.year} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report", args=[self.covenant.slug, self.year])
