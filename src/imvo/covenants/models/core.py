"""Covenants, the organisations in them, their governance, themes and agreements.

An IMVO covenant is a results-bound agreement (term 3-5 years) between
companies, branch organisations, trade unions, NGOs and government. It moves
through phases (exploration -> dialogue -> implementation -> evaluation) in
about twelve process steps. Organisations adhere as *party* (a signatory that
contributes to the solution) or *stakeholder* (involved through dialogue).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import optional_link, status_field
from imvo.core.i18n import Bilingual
from imvo.covenants.models.owned import covenant_and_organisation


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def in_covenant(
        self, covenant: Covenant, *, role: str | None = None, active: bool = False
    ) -> OrganisationQuerySet:
        """The organisations that adhere to `covenant`: as `role` only (party or
        stakeholder) when given, and only those whose adherence is active when asked.
        Each comes once (an organisation adheres to a covenant at most once)."""
        adherence: dict[str, object] = {"adherences__covenant": covenant}
        if role is not None:
            adherence["adherences__role"] = role
        if active:
            adherence["adherences__status"] = Adherence.Status.ACTIVE
        # One filter() call: role and status are those of the same adherence.
        return self.filter(**adherence)


class Organisation(models.Model):
    class Type(models.TextChoices):
        COMPANY = "company", _("Company")
        BRANCH = "branch", _("Branch organisation")
        UNION = "union", _("Trade union")
        NGO = "ngo", _("NGO")
        GOVERNMENT = "government", _("Government")
        KNOWLEDGE = "knowledge", _("Knowledge institute")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    country = models.CharField(
        _("country"), max_length=2, default="NL", help_text=_("ISO 3166-1 alpha-2 code")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # A company's branch organisations: they follow their members' progress in
    # aggregate and may remind them (never see a member's confidential data).
    branch_organisations = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="branch_members",
        limit_choices_to={"type": "branch"},
        verbose_name=_("member of branch organisations"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    GARMENT = "garment", _("Garment and textile")
    BANKING = "banking", _("Banking")
    GOLD = "gold", _("Gold")
    FOOD = "food", _("Food products")
    INSURANCE = "insurance", _("Insurance")
    PENSION = "pension", _("Pension funds")
    NATURAL_STONE = "natural_stone", _("Natural stone")
    METALS = "metals", _("Metals")
    FLORICULTURE = "floriculture", _("Floriculture")
    AGRIFOOD = "agrifood", _("Agri-food")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    EXPLORATION = "exploration", _("Exploration")
    DIALOGUE = "dialogue", _("Dialogue")
    IMPLEMENTATION = "implementation", _("Implementation")
    EVALUATION = "evaluation", _("Evaluation")
    ENDED = "ended", _("Ended")


class Covenant(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.EXPLORATION
    )
    website = models.URLField(_("website"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("covenant")
        verbose_name_plural = _("covenants")

    def __str__(self) -> str:
        return self.name

    # Read in the reader's language (nl or en), from the <name>_nl/_en fields.
    name = Bilingual()
    description = Bilingual()

    @property
    def term_years(self) -> float | None:
        if self.start_date and self.end_date:
            return round((self.end_date - self.start_date).days / 365.25, 1)
        return None

    @property
    def buys_from_production_locations(self) -> bool:
        """Whether the members buy goods made at production locations. The financial
        sector's covenants (banks, insurers, pension funds) finance and invest: their
        chain is clients and investee companies, so no supplier lists, and a union's
        tools about production locations would lead to empty pages."""
        return self.sector not in (Sector.BANKING, Sector.INSURANCE, Sector.PENSION)

    def get_absolute_url(self) -> str:
        return reverse("covenants:detail", args=[self.slug])


class ProcessStep(models.Model):
    """One of the ~12 steps by which a covenant comes about and is carried out."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Not needed")

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=20, choices=Phase.choices)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    status = status_field(Status.PLANNED)
    started = models.DateField(_("started"), null=True, blank=True)
    completed = models.DateField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["covenant", "order"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "order"], name="unique_step_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    # Read in the reader's language (nl or en), from the <name>_nl/_en fields.
    name = Bilingual()


class Adherence(models.Model):
    """An organisation taking part in a covenant."""

    class Role(models.TextChoices):
        PARTY = "party", _("Party")
        STAKEHOLDER = "stakeholder", _("Stakeholder")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    covenant, organisation = covenant_and_organisation("adherences")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    since = models.DateField(_("since"), default=date.today)
    until = models.DateField(_("until"), null=True, blank=True)
    status = status_field(Status.ACTIVE)
    consent_to_be_named = models.BooleanField(
        _("may be named as buyer of its production locations"), default=False
    )

    class Meta:
        ordering = ["covenant", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "organisation"], name="unique_adherence")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.covenant} ({self.get_role_display()})"


class AdherenceChange(models.Model):
    """Every change of an adherence's role or status, so history is kept."""

    adherence = models.ForeignKey(Adherence, on_delete=models.CASCADE, related_name="changes")
    date = models.DateField(default=date.today)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    by = optional_link("accounts.User")
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["adherence", "recorded"]


class StakeholderGroup(models.TextChoices):
    BUSINESS = "business", _("Business")
    UNIONS = "unions", _("Trade unions")
    NGOS = "ngos", _("NGOs")
    GOVERNMENT = "government", _("Government")
    INDEPENDENT = "independent", _("Independent")


class GovernanceBody(models.Model):
    """A body of the covenant's governance: steering group, working group, ..."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="bodies")
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        ordering = ["covenant", "id"]

    def __str__(self) -> str:
        return self.name

    # Read in the reader's language (nl or en), from the <name>_nl/_en fields.
    name = Bilingual()
    description = Bilingual()


class SeatQuerySet(models.QuerySet["Seat"]):
    def running(self, today: date | None = None) -> SeatQuerySet:
        """Seats whose term runs today (no start or started, no end or not yet
        ended): only these open their body's meetings, papers and minutes to the
        organisation (docs/security.md, T86); a seat whose term ended waits for the
        secretariat to renew or remove it."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(term_start__isnull=True) | models.Q(term_start__lte=today),
            models.Q(term_end__isnull=True) | models.Q(term_end__gte=today),
        )


class Seat(models.Model):
    """A seat in a governance body, held for a constituency for a term."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="seats")
    group = models.CharField(_("constituency"), max_length=20, choices=StakeholderGroup.choices)
    organisation = optional_link(Organisation, verbose_name=_("organisation"))
    holder = models.CharField(_("seat holder"), max_length=200, blank=True)
    substitute = models.CharField(_("substitute"), max_length=200, blank=True)
    is_chair = models.BooleanField(_("chair"), default=False)
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["body", "-is_chair", "group", "id"]
        verbose_name = _("seat")

    def __str__(self) -> str:
        return self.holder or (self.organisation.name if self.organisation else str(self.group))

    @property
    def term_over(self) -> bool:
        """The term has ended: the seat needs a new term (or holder) from the secretariat.
        It still counts in the representation verdict until it is removed, but opens
        nothing (`SeatQuerySet.running`)."""
        return self.term_end is not None and self.term_end < timezone.localdate()


class ThemeQuerySet(models.QuerySet["Theme"]):
    def usable_in(self, covenants: Covenant | models.QuerySet[Covenant]) -> ThemeQuerySet:
        """The themes a record of `covenants` (one covenant, or several) may name: the
        OECD chapters, which every covenant shares, and those covenants' own sub-themes."""
        own = (
            models.Q(covenant=covenants)
            if isinstance(covenants, Covenant)
            else models.Q(covenant__in=covenants)
        )
        return self.filter(models.Q(covenant=None) | own)


class Theme(models.Model):
    """An OECD Guidelines chapter, or a covenant-specific sub-theme under one."""

    code = models.SlugField(max_length=60)
    name_nl = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    parent = optional_link("self", on_delete=models.PROTECT, related_name="children")
    covenant = optional_link(Covenant, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(default=0)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["covenant_id", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "covenant"], name="unique_theme_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(covenant__isnull=True),
                name="unique_oecd_theme_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # Read in the reader's language (nl or en), from the <name>_nl/_en fields.
    name = Bilingual()

    @property
    def is_oecd_chapter(self) -> bool:
        return self.covenant_id is None


class KpiUnit(models.TextChoices):
    """What an agreement's KPI counts, from one list so that every reader sees it in
    their language ("12 productielocaties", "12 production locations").

    The SER advice asks for measurable output KPIs: a percentage (of members, of
    workers, of purchases) or a number of things (dialogue structures set up,
    locations, people trained). Percentages and amounts may have decimals; a
    number of things is whole (`KpiUnit.counts_whole`). `NUMBER` is a count whose
    KPI name already says what it counts. A value stored before the list (free
    text) is shown as written until the secretariat picks a unit."""

    PERCENT = "%", _("% (a percentage)")
    NUMBER = "number", _("a number (the KPI says of what)")
    COMPANIES = "companies", _("companies")
    FACILITIES = "facilities", _("production locations")
    SUPPLIERS = "suppliers", _("suppliers")
    WORKERS = "workers", _("workers")
    PEOPLE = "people", _("people")
    COUNTRIES = "countries", _("countries")
    AUDITS = "audits", _("audits")
    PROJECTS = "projects", _("projects")
    BANKS = "banks", _("banks")
    MINES = "mines", _("mines")
    QUARRIES = "quarries", _("quarries")
    EUR = "EUR", _("euro")
    TONNES = "tonnes", _("tonnes")

    @classmethod
    def counts_whole(cls, unit: str) -> bool:
        return unit in cls.values and unit not in (cls.PERCENT, cls.EUR, cls.TONNES)

    @classmethod
    def shown(cls, unit: str) -> str:
        """The unit after a figure in the reader's language ("40 %", "40 landen")."""
        if unit == cls.PERCENT:
            return "%"
        if unit == cls.NUMBER:
            return ""
        return str(cls(unit).label) if unit in cls.values else unit


class Agreement(models.Model):
    """A SMART commitment of the covenant with one output KPI."""

    covenant = models.ForeignKey(Covenant, on_delete=models.CASCADE, related_name="agreements")
    number = models.CharField(_("number"), max_length=20, blank=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    text_nl = models.TextField(_("text (Dutch)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    outcome_nl = models.TextField(_("outcome it serves (Dutch)"), blank=True)
    outcome_en = models.TextField(_("outcome it serves (English)"), blank=True)
    owners = models.ManyToManyField(
        Organisation, blank=True, related_name="agreements", verbose_name=_("owners")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="agreements", verbose_name=_("themes")
    )
    kpi_name_nl = models.CharField(_("KPI (Dutch)"), max_length=300)
    kpi_name_en = models.CharField(_("KPI (English)"), max_length=300)
    kpi_unit = models.CharField(
        _("unit"),
        max_length=50,
        choices=KpiUnit.choices,
        help_text=_("What the KPI counts: a percentage, or a number of things."),
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"))
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    deadline = models.DateField(_("deadline"))

    class Meta:
        ordering = ["covenant", "number", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    # Read in the reader's language (nl or en), from the <name>_nl/_en fields.
    title = Bilingual()
    text = Bilingual()
    outcome = Bilingual()
    kpi_name = Bilingual()

    @property
    def unit_label(self) -> str:
        """The KPI's unit as shown after a figure, in the reader's language."""
        return KpiUnit.shown(self.kpi_unit)


class KpiMeasurement(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    recorded_by = optional_link("accounts.User")
    recorded = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["agreement", "date", "id"]

    def __str__(self) -> str:
        return f"{self.date}: {self.value}"
