"""The yearly due-diligence cycle of a covenant member, along the six OECD steps.

A covenant's secretariat sets up an assessment *framework* (elements, each on
an OECD due-diligence step, with weights and questions). Every member company
hands in a yearly *submission*: its answers, a snapshot of its risk register
and its action plan. The secretariat reviews it, scores each element, writes
feedback and decides (meets / meets partly / does not meet). Every submitted
or decided state is kept as an immutable *version*. Members that persistently
fall short enter the *escalation* path.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any, Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.errors import DomainError
from imvo.core.fields import acting_user, optional_link, status_field
from imvo.core.scoping import ScopedQuerySet
from imvo.covenants.models import covenant_and_organisation


class OecdStep(models.IntegerChoices):
    """The six steps of the OECD Due Diligence Guidance for RBC."""

    POLICY = 1, _("1. Embed responsible business conduct in policy and management systems")
    IDENTIFY = 2, _("2. Identify and assess adverse impacts")
    MITIGATE = 3, _("3. Cease, prevent or mitigate adverse impacts")
    TRACK = 4, _("4. Track implementation and results")
    COMMUNICATE = 5, _("5. Communicate how impacts are addressed")
    REMEDIATE = 6, _("6. Provide for or cooperate in remediation")


class Framework(models.Model):
    """A covenant's published assessment framework for the yearly submissions."""

    class Kind(models.TextChoices):
        WEIGHTED = "weighted", _("Weighted questionnaire")
        MATURITY = "maturity", _("Maturity levels (1-5)")

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="dd_frameworks"
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    meets_threshold = models.DecimalField(
        _("score to meet the requirements"), max_digits=5, decimal_places=2, default=Decimal(70)
    )
    partly_threshold = models.DecimalField(
        _("score to meet them partly"), max_digits=5, decimal_places=2, default=Decimal(50)
    )
    active = models.BooleanField(_("in use for new submissions"), default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["covenant", "-active", "name"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "code"], name="dd_unique_framework_code")
        ]

    def __str__(self) -> str:
        return self.name


class Element(models.Model):
    """One assessed element of a framework (e.g. "Risk analysis"), weighted in the total."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="elements")
    code = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    oecd_step = models.PositiveSmallIntegerField(_("OECD step"), choices=OecdStep.choices)
    title = models.CharField(_("title"), max_length=200)
    weight = models.DecimalField(
        _("weight (relative to the other elements)"), max_digits=5, decimal_places=2
    )

    class Meta:
        ordering = ["framework", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="dd_unique_element_code")
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of an element; its answer gives a fraction 0..1 of the element's score."""

    class Kind(models.TextChoices):
        YESNO = "yesno", _("Yes / no")
        LEVEL = "level", _("Maturity level 1-5")
        TEXT = "text", _("Open text (not scored)")

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("question"))
    help = models.TextField(_("guidance"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    weight = models.DecimalField(
        _("weight within the element"), max_digits=5, decimal_places=2, default=Decimal(1)
    )

    class Meta:
        ordering = ["element", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["element", "code"], name="dd_unique_question_code")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class SubmissionQuerySet(ScopedQuerySet["Submission"]):
    """A member sees its own organisation's submissions; a secretariat its covenants',
    once handed in (a draft is the member's working copy until it is submitted)."""

    def secretariat_sees(self) -> models.Q:
        return _past_draft()

    def handed_in(self) -> Self:
        """Submissions the member has handed in (at least once): past the draft."""
        return self.filter(_past_draft())


def _past_draft() -> models.Q:
    return ~models.Q(status=Submission.Status.DRAFT)


class Submission(models.Model):
    """A member's yearly due-diligence submission in one covenant."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        REVISE = "revise", _("Feedback: revise")
        DECIDED = "decided", _("Decided")

    class Decision(models.TextChoices):
        MEETS = "meets", _("Meets the requirements")
        PARTLY = "partly", _("Meets the requirements partly")
        NOT_MEET = "does_not_meet", _("Does not meet the requirements")

    covenant, organisation = covenant_and_organisation("dd_submissions")
    year = models.PositiveSmallIntegerField(_("reporting year"))
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="submissions")
    status = status_field(Status.DRAFT)
    self_score = models.DecimalField(
        _("score from the answers"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        _("assessed score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    feedback = models.TextField(_("feedback"), blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    improvement_deadline = models.DateField(_("improve by"), null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reviewer = acting_user()
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["covenant", "-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "organisation", "year"], name="dd_unique_submission_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"

    @property
    def editable_by_member(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.REVISE)

    def of_same_member(self) -> models.Q:
        """A filter for the member's rows in this covenant (its actions, remediation
        cases, engagements, the submissions of other years)."""
        return models.Q(covenant_id=self.covenant_id, organisation_id=self.organisation_id)


class Answer(models.Model):
    """The member's answer to one question, with the explanation it gives."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.CharField(_("answer"), max_length=20, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "question"], name="dd_unique_answer")
        ]


class ElementReview(models.Model):
    """The reviewer's score (0-100) and comment on one element of a submission."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="element_reviews"
    )
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "element"], name="dd_unique_element_review"
            )
        ]


class SubmissionVersion(models.Model):
    """An immutable snapshot of a submission at the moment it was submitted or decided."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Submission.Status.choices)
    data = models.JSONField()
    created = models.DateTimeField(default=timezone.now)
    by = acting_user()

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="dd_unique_version")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A version is evidence of what was handed in: never rewritten.
        if self.pk is not None:
            raise DomainError(_("A submitted version cannot be changed."))
        super().save(*args, **kwargs)


class Action(models.Model):
    """A SMART action in the member's action plan, against a prioritised risk or theme."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    covenant, organisation = covenant_and_organisation("dd_actions")
    theme = optional_link("covenants.Theme", related_name="+", verbose_name=_("theme"))
    risk = models.CharField(
        _("prioritised risk"),
        max_length=300,
        blank=True,
        help_text=_("The risk from the risk register this action addresses."),
    )
    risk_entry_id = models.PositiveIntegerField(null=True, blank=True)
    what = models.TextField(_("what will be done"))
    owner = models.CharField(_("owner"), max_length=200)
    start = models.DateField(_("start"), default=date.today)
    deadline = models.DateField(_("deadline"))
    target = models.CharField(_("measurable target"), max_length=300)
    budget = models.DecimalField(
        _("budget (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    agreements = models.ManyToManyField(
        "covenants.Agreement",
        blank=True,
        related_name="dd_actions",
        verbose_name=_("covenant agreements"),
    )
    status = status_field(Status.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet["Action"].as_manager()

    class Meta:
        ordering = ["covenant", "organisation", "deadline", "id"]

    def __str__(self) -> str:
        return self.what[:80]


def evidence_path(instance: ProgressUpdate, filename: str) -> str:
    # A random folder: evidence is confidential and is served only through the scoped
    # download view; its storage path must not be guessable if media are ever exposed.
    return f"duediligence/evidence/{instance.action.organisation_id}/{uuid.uuid4().hex}/{filename}"


class ProgressUpdate(models.Model):
    """A progress report on an action during the year, with evidence attached."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=date.today)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    text = models.TextField(_("what happened"))
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    by = acting_user()
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "date", "id"]


class RemediationCase(models.Model):
    """A case where the member provided for or cooperated in remedy (OECD step 6)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("Remedy in progress")
        REMEDIED = "remedied", _("Remedied")
        CLOSED = "closed", _("Closed without remedy")

    covenant, organisation = covenant_and_organisation("dd_remediation_cases")
    opened = models.DateField(_("opened"), default=date.today)
    what_happened = models.TextField(_("what happened"))
    affected = models.TextField(_("who was affected"))
    remedy = models.TextField(_("remedy"), blank=True)
    status = status_field(Status.OPEN)
    action = optional_link(Action, related_name="cases", verbose_name=_("related action"))

    objects = ScopedQuerySet["RemediationCase"].as_manager()

    class Meta:
        ordering = ["covenant", "organisation", "-opened", "id"]


class EscalationStep(models.Model):
    """One step on the escalation path of a member that falls behind; never erased."""

    class Step(models.TextChoices):
        DIALOGUE = "dialogue", _("Dialogue")
        FORMAL_NOTICE = "formal_notice", _("Formal notice")
        SUSPENSION = "suspension", _("Suspension")
        REFERRAL = "referral", _("Referral to the complaints and disputes committee")
        EXCLUSION = "exclusion", _("Exclusion")
        RESOLVED = "resolved", _("Resolved: back on track")

    covenant, organisation = covenant_and_organisation("dd_escalations", verbose_name=_("member"))
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    date = models.DateField(_("date"), default=date.today)
    reason = models.TextField(_("reason"))
    deadline = models.DateField(_("respond or improve by"), null=True, blank=True)
    submission = optional_link(Submission, related_name="escalations")
    # The governance decision the step rests on (a steering-group decision to
    # suspend or exclude), cited by its number wherever the step is shown.
    decision = optional_link(
        "covenants.Decision",
        on_delete=models.PROTECT,
        related_name="escalations",
        verbose_name=_("decision it rests on"),
    )
    by = acting_user()
    recorded = models.DateTimeField(default=timezone.now)

    objects = ScopedQuerySet["EscalationStep"].as_manager()

    class Meta:
        ordering = ["covenant", "organisation", "date", "id"]
