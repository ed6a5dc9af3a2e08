"""Supply chain: supplier lists, their rows, the facility registry and matches.

A member company discloses its production locations each year by uploading a
supplier list for a covenant. Each row is kept as received, validated and
matched to a canonical Facility (production location). The link between a
company and a facility is confidential; the public sees the aggregated list.
"""

from __future__ import annotations

import hashlib

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link
from imvo.core.scoping import ScopedQuerySet
from imvo.covenants.models import covenant_and_organisation
from imvo.supplychain import reasons


class SupplierListQuerySet(ScopedQuerySet["SupplierList"]):
    """`visible_to(user)`: the user's own organisation's lists, or all of the covenants
    whose secretariat they are in (core.scoping); everyone else sees none."""

    def current(self) -> SupplierListQuerySet:
        """Lists in the current version of their member's disclosure: the one place
        that says what "current" means (`DisclosureVersion.is_current`)."""
        return self.filter(versions__is_current=True)

    def with_current(self) -> SupplierListQuerySet:
        """Annotate `current_flag`, so a page of lists asks once, not once a list."""
        return self.annotate(
            current_flag=models.Exists(
                DisclosureVersion.lists.through.objects.filter(
                    supplierlist_id=models.OuterRef("pk"), disclosureversion__is_current=True
                )
            )
        )


class SupplierList(models.Model):
    """One upload of a company's supplier list for a covenant and year.

    The original file is stored unchanged with its sha256. It becomes part of the
    member's disclosure only when the member confirms it: then a new
    `DisclosureVersion` names the lists the disclosure is made of."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Columns to map")
        QUEUED = "queued", _("Waiting to be processed")
        PROCESSING = "processing", _("Processing")
        PREVIEW = "preview", _("Waiting for your confirmation")
        DONE = "done", _("Processed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Not confirmed (cancelled)")

    class Step(models.TextChoices):
        READING = "reading", _("Reading the file")
        CHECKING = "checking", _("Checking the rows")
        MATCHING = "matching", _("Matching to facilities")

    covenant, organisation = covenant_and_organisation(
        "supplier_lists", covenant_on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    file = models.FileField(_("file"), upload_to="supplier-lists/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = acting_user()
    uploaded = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("reason"), blank=True)
    # Why it failed, to be shown in the reader's language (`reasons.Reason.stored`:
    # kind "file" or "processing", the English message and its values); `error` is
    # the same in English. Empty for lists that failed before it was kept.
    failure = models.JSONField(default=dict, blank=True)
    column_map = models.JSONField(default=dict, blank=True)
    header = models.JSONField(default=list, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    # The uploader's explicit choice: this file is added to the year's disclosure
    # (another business unit, another tier) instead of replacing it.
    adds_to = models.BooleanField(_("added to the year's disclosure"), default=False)
    # Confirmed by the member after the preview (or by a trusted caller at upload):
    # only a confirmed list is matched and becomes a version of the disclosure.
    confirmed = models.BooleanField(default=False)
    # The encoding the member picked on the preview ("" = detected).
    encoding = models.CharField(max_length=40, blank=True)
    started = models.DateTimeField(null=True, blank=True)
    # What a running job is doing (`Step`): `rows_done` counts the rows read,
    # checked or matched in it.
    step = models.CharField(max_length=12, choices=Step.choices, blank=True)
    # The job's last sign of life: set when it is queued or starts, and with every
    # `rows_done` it reports. A job silent since longer than
    # `services.STUCK_AFTER` counts as stuck (its worker died), not one that runs long.
    progress_at = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    objects = SupplierListQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-uploaded", "-id"]
        indexes = [models.Index(fields=["covenant", "organisation", "year"])]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year} ({self.original_name})"

    @property
    def is_current(self) -> bool:
        """In the current version of the disclosure (annotated by `with_current`)."""
        flag = getattr(self, "current_flag", None)
        if flag is None:
            flag = self.versions.filter(is_current=True).exists()
        return bool(flag)

    @property
    def failed_on_file(self) -> bool:
        """Failed because the file cannot be read (the member sends another file),
        not because processing broke (the member runs it again). A list that failed
        before the kind was kept: refused at upload (it has no header) or not."""
        kind = (self.failure or {}).get("kind")
        if kind:
            return bool(kind == reasons.FILE)
        return not self.header

    @property
    def reason(self) -> str:
        """Why it failed, in the active language (as stored for older lists)."""
        found = reasons.Reason.from_stored(self.failure or {})
        return found.render() if found is not None else self.error

    @property
    def progress_percent(self) -> int:
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class SupplierListRow(models.Model):
    """One row of a supplier list: as received, normalised, validated and matched."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Rejected")
        DUPLICATE = "duplicate", _("Duplicate")

    class Stage(models.TextChoices):
        """Where the row is on its way (one parse, then named stages): read from the
        file, checked, matched to a facility, part of a confirmed disclosure."""

        PARSED = "parsed", _("Read")
        VALIDATED = "validated", _("Checked")
        MATCHED = "matched", _("Matched")
        PUBLISHED = "published", _("In the disclosure")

    supplier_list = models.ForeignKey(SupplierList, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    raw = models.JSONField(default=dict)
    name = models.CharField(max_length=500, blank=True)
    address = models.CharField(max_length=1000, blank=True)
    country = models.CharField(max_length=2, blank=True)
    country_raw = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=200, blank=True)
    product = models.CharField(max_length=200, blank=True)
    tier = models.CharField(max_length=100, blank=True)
    workers = models.PositiveIntegerField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    identifier = models.CharField(max_length=200, blank=True)
    name_norm = models.CharField(max_length=500, blank=True)
    address_norm = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    errors = models.JSONField(default=list, blank=True)  # [[column, message], ...]
    # Problems that do not reject the row (e.g. coordinates that were dropped), same shape.
    warnings = models.JSONField(default=list, blank=True)
    duplicate_of = models.PositiveIntegerField(null=True, blank=True)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.PARSED)

    class Meta:
        ordering = ["supplier_list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["supplier_list", "number"], name="unique_list_row")
        ]

    def __str__(self) -> str:
        return f"row {self.number}: {self.name}"

    @property
    def fingerprint(self) -> str:
        """What makes two rows 'the same row' next year: normalised name, address and
        country (hashed, so the remembered decision has a short unique key)."""
        text = f"{self.country}|{self.name_norm}|{self.address_norm}"
        return hashlib.sha256(text.encode()).hexdigest()


class Facility(models.Model):
    """A canonical production location. Merged duplicates point to the survivor
    through `merged_into`, so their ids stay resolvable."""

    name = models.CharField(_("name"), max_length=500)
    address = models.CharField(_("address"), max_length=1000)
    country = models.CharField(_("country"), max_length=2, db_index=True)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    name_norm = models.CharField(max_length=500, blank=True)
    address_norm = models.CharField(max_length=1000, blank=True)
    merged_into = optional_link("self", on_delete=models.PROTECT, related_name="merged")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "facilities"
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"


class Match(models.Model):
    """The link of a supplier-list row to a facility, and who decided it."""

    class Status(models.TextChoices):
        AUTOMATIC = "automatic", _("Matched automatically")
        PENDING = "pending", _("Needs a decision")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        NEW = "new", _("New facility")

    row = models.OneToOneField(SupplierListRow, on_delete=models.CASCADE, related_name="match")
    facility = optional_link(Facility, on_delete=models.PROTECT, related_name="matches")
    score = models.FloatField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices)
    candidates = models.JSONField(default=list, blank=True)  # [[facility_id, score], ...]
    # Why the matcher proposed `facility`: one entry per piece of evidence,
    # {"field", "level", "weight", "detail"} (weight in bits, Fellegi-Sunter), so a
    # review screen and the processed-list download can show it. See matching/.
    explanation = models.JSONField(default=list, blank=True)
    remembered = models.BooleanField(default=False)
    decided_by = acting_user()
    decided = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "matches"

    def __str__(self) -> str:
        return f"{self.row} -> {self.facility_id} ({self.status})"

    @property
    def links(self) -> bool:
        """Whether this match ties the row to a facility (counts for the public list)."""
        return self.facility_id is not None and self.status in {
            self.Status.AUTOMATIC,
            self.Status.CONFIRMED,
            self.Status.NEW,
        }


class Decision(models.Model):
    """A person's decision on a row, remembered for the same row in later lists
    of the same organisation (same normalised name, address and country)."""

    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Match.Status.choices)
    facility = optional_link(Facility, on_delete=models.CASCADE)
    rejected_facility_ids = models.JSONField(default=list, blank=True)
    decided_by = acting_user()
    decided = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "fingerprint"], name="unique_decision")
        ]


class LabelledPair(models.Model):
    """A person's verdict on a (list row, facility) pair: the same place or not.

    Kept as a copy of both sides' values at the time of the decision, so the
    matching model can be re-estimated from them (`imvo match train`) even after
    rows or facilities change or are deleted.
    """

    organisation = optional_link("covenants.Organisation", related_name="+")
    facility = optional_link(Facility, related_name="+")
    is_match = models.BooleanField()
    name = models.CharField(max_length=500)
    address = models.CharField(max_length=1000, blank=True)
    country = models.CharField(max_length=2)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    facility_name = models.CharField(max_length=500)
    facility_address = models.CharField(max_length=1000, blank=True)
    facility_country = models.CharField(max_length=2)
    facility_lat = models.FloatField(null=True, blank=True)
    facility_lng = models.FloatField(null=True, blank=True)
    decided_by = acting_user()
    decided = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided"]

    def __str__(self) -> str:
        verdict = "=" if self.is_match else "!="
        return f"{self.name} {verdict} {self.facility_name}"


class DisclosurePolicy(models.Model):
    """How a covenant publishes its members' production locations (docs/supplychain.md,
    "Publication rule"). A covenant without a row uses the defaults."""

    # Fewer than 3 would let one member subtract its own list from the public one
    # and read the other member's list.
    MIN_MEMBERS_FLOOR = 3
    DEFAULT_MIN_MEMBERS = 5

    covenant = models.OneToOneField(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="disclosure_policy"
    )
    min_members = models.PositiveSmallIntegerField(
        _("minimum number of disclosing members"),
        default=DEFAULT_MIN_MEMBERS,
        validators=[MinValueValidator(MIN_MEMBERS_FLOOR)],
        help_text=_(
            "A year, filter or search is public only when at least this many members "
            "disclosed the locations in it (at least 3)."
        ),
    )
    branch_organisations_disclose = models.BooleanField(
        _("branch organisations may upload for their members"), default=False
    )

    class Meta:
        verbose_name = _("disclosure policy")
        verbose_name_plural = _("disclosure policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_members__gte=3), name="disclosure_min_members_floor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.covenant}: k={self.min_members}"


class PublishedYear(models.Model):
    """The secretariat's decision that a covenant's list for a year is public."""

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="published_location_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    published = models.DateTimeField(default=timezone.now)
    published_by = acting_user()
    # Distinct members behind the snapshot (PublicLocationMember), written with it:
    # every public answer compares it with K, so it is not counted on each read.
    members = models.PositiveIntegerField(default=0)
    # What every public page shows of the whole snapshot, written with it (so a
    # page reads them with the publication state instead of counting and
    # grouping its rows on each read): how many locations, the country codes and
    # the sectors of its filters.
    location_count = models.PositiveIntegerField(default=0)
    countries = models.JSONField(default=list, blank=True)
    sectors = models.JSONField(default=list, blank=True)
    # Members (not named by consent) whose disclosure changed since the snapshot
    # was written and whose change the public does not see yet: a change reaches
    # the public list once K members have changed, so comparing the list before
    # and after never shows what one member changed (publication.refresh_published).
    waiting = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["covenant", "year"], name="unique_published_year")
        ]

    def __str__(self) -> str:
        return f"{self.covenant} {self.year}"


class Disclosure(models.Model):
    """A member's disclosure of its production locations for a covenant and year.

    What it is made of changes by versions (`DisclosureVersion`): every confirmed
    change (a file added, a replacement, a restore, last year carried forward)
    is a new version, and exactly one version is current."""

    covenant, organisation = covenant_and_organisation(
        "disclosures", covenant_on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))

    # visible_to(user): the member's own disclosures; the secretariat's covenants'; admins all.
    objects = ScopedQuerySet["Disclosure"].as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["covenant", "organisation", "year"], name="unique_disclosure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.covenant} {self.year}"


class DisclosureVersion(models.Model):
    """One state of a disclosure: the supplier lists it is made of.

    The database holds the rule "at most one current version per disclosure" (a
    partial unique index), and every change makes the new version current in the
    transaction that demotes the old one, under a lock on the disclosure row."""

    class Change(models.TextChoices):
        FIRST = "first", _("First upload")
        ADD = "add", _("File added")
        REPLACE = "replace", _("Replaced")
        RESTORE = "restore", _("Earlier version restored")
        CARRY = "carry", _("Carried forward from last year")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    lists = models.ManyToManyField(SupplierList, related_name="versions")
    is_current = models.BooleanField(default=False)
    change = models.CharField(max_length=12, choices=Change.choices)
    restored_from = optional_link("self", related_name="+")
    created = models.DateTimeField(default=timezone.now)
    created_by = acting_user()
    # The effect against the version before: locations added, removed, changed,
    # unchanged (the numbers the member confirmed on the preview).
    effect = models.JSONField(default=dict, blank=True)
    # The risk app's scan of the company's sourcing while this version is current,
    # stored when the version becomes current and stamped with the inputs that can
    # change (indicator data, hand-entered sourcing): docs/risk.md, "The stored scan".
    risk_scan = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["disclosure", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["disclosure"],
                condition=models.Q(is_current=True),
                name="one_current_disclosure_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} v{self.number}"


class PublicLocation(models.Model):
    """One row of a published year's public list, materialised when the
    secretariat publishes the year (publication.publish_year) and removed with
    the publication (withdraw_year deletes the PublishedYear, this cascades).

    Every public surface (page, filters, search, downloads, API, report, map,
    the complaint form's facility search) reads these rows, never the members'
    lists: a public read is a small indexed query, cached or not."""

    # No index of its own (migration 0007): every index of the table below starts
    # with published_year, which serves the foreign key's lookups and cascades. A
    # year-only index made PostgreSQL (random_page_cost = 4, its default) read a
    # search's page 9 through it and sort the 1,220 matching rows instead of
    # walking sc_publoc_order in the list's order (docs/performance.md).
    published_year = models.ForeignKey(
        PublishedYear, on_delete=models.CASCADE, related_name="locations", db_index=False
    )
    facility_id = models.PositiveIntegerField()  # the registry's id, shown as the public id
    name = models.CharField(max_length=500)
    sort_name = models.CharField(max_length=500)  # folded (core.text.fold): the list's order
    name_norm = models.CharField(max_length=500, blank=True)
    address = models.CharField(max_length=1000, blank=True)
    # Folded (core.text.fold, like sort_name: no case, accents or marks, "İ" and "ı"
    # read as "i"): the search compares with the query folded the same way, by a
    # plain LIKE instead of UPPER() of every row's text (migration 0006).
    address_key = models.CharField(max_length=1000, blank=True)
    # What the search reads: sort_name, name_norm and address_key joined by
    # SEARCH_SEPARATOR (a control character no query the search gives this column
    # holds: public._selected), so a search is one LIKE over one column. Written
    # with the snapshot (publication.materialise; migration 0004 for older rows).
    search_key = models.TextField(blank=True, default="")
    country = models.CharField(max_length=2)
    sector = models.CharField(max_length=200, blank=True)
    sector_key = models.CharField(max_length=200, blank=True)  # folded: the sector filter
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    members = models.PositiveIntegerField()

    SEARCH_SEPARATOR = "\x1f"  # ASCII unit separator

    class Meta:
        ordering = ["published_year", "country", "sort_name", "facility_id"]
        indexes = [
            # The list's order. On PostgreSQL it also carries (INCLUDE) what a
            # filtered page reads of every row it passes over, search_key,
            # sector_key and id (migration 0005: SQLite has no such index, and
            # Django warns of one in Meta there), so a search, country or sector
            # page is an index-only scan and only its 100 rows are read from the
            # table (public.Listing.page).
            models.Index(
                fields=["published_year", "country", "sort_name", "facility_id"],
                name="sc_publoc_order",
            ),
            models.Index(fields=["published_year", "sector_key"], name="sc_publoc_sector"),
            models.Index(fields=["facility_id"], name="sc_publoc_facility"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["published_year", "facility_id"], name="unique_public_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"

    @classmethod
    def search_text(cls, sort_name: str, name_norm: str, address_key: str) -> str:
        """The search column of a row with these folded columns."""
        return cls.SEARCH_SEPARATOR.join((sort_name, name_norm, address_key))


class PublicLocationMember(models.Model):
    """Which member stood behind a public location when its year was published.

    Confidential, like Match: never shown. It is read only to count the distinct
    members behind a filtered selection (the K rule) and to name members that
    consent to be named (consent is read when the page is, so withdrawing it
    takes effect at once)."""

    published_year = models.ForeignKey(
        PublishedYear, on_delete=models.CASCADE, related_name="location_members"
    )
    location = models.ForeignKey(PublicLocation, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    # The location's search_key, copied: a search's K check reads this year's links
    # in member order and stops at the K-th member, without a join to the locations.
    search_key = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["published_year", "organisation"], name="sc_publocm_org"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "organisation"], name="unique_public_location_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location_id}: {self.organisation_id}"
