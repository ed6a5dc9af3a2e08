"""Covenant domain logic: scoping, KPI progress, governance balance, secretariat actions.

Views, API, CLI and tasks call these functions; each checks permission itself
so every entry point behaves the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts import seams as roles
from imvo.accounts.models import CovenantRole
from imvo.accounts.seams import AnyUser
from imvo.core.cache import bump_data_version, content_seconds, data_version
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.slugs import first_free
from imvo.core.text import whole_number
from imvo.covenants.models import (
    Adherence,
    AdherenceChange,
    Agreement,
    Covenant,
    KpiMeasurement,
    KpiUnit,
    Organisation,
    Phase,
    ProcessStep,
    Seat,
    StakeholderGroup,
    Theme,
)

# The ~12 process steps from the SER's description of how a covenant comes
# about (three phases: exploration, dialogue, implementation), plus the
# evaluation the covenant ends with. Sectors may need more or fewer.
PROCESS_STEPS: list[tuple[str, str, str]] = [
    (Phase.EXPLORATION, "Verzoek van de sector aan de SER", "Sector asks the SER to convene"),
    (Phase.EXPLORATION, "Sectorrisicoanalyse", "Sector risk analysis"),
    (
        Phase.EXPLORATION,
        "Verkenning met partijen en stakeholders",
        "Exploratory talks with parties and stakeholders",
    ),
    (Phase.EXPLORATION, "Besluit om te onderhandelen", "Decision to negotiate"),
    (
        Phase.DIALOGUE,
        "Procesafspraken en onafhankelijk voorzitter",
        "Process agreements and independent chair",
    ),
    (Phase.DIALOGUE, "Onderhandelingen over de afspraken", "Negotiating the agreements"),
    (
        Phase.DIALOGUE,
        "Conceptconvenant en achterbanraadpleging",
        "Draft covenant and consulting constituencies",
    ),
    (Phase.DIALOGUE, "Ondertekening", "Signing"),
    (
        Phase.IMPLEMENTATION,
        "Secretariaat en stuurgroep ingericht",
        "Secretariat and steering group set up",
    ),
    (
        Phase.IMPLEMENTATION,
        "Aansluiting bedrijven en due diligence",
        "Companies join and start due diligence",
    ),
    (Phase.IMPLEMENTATION, "Jaarlijkse voortgangsrapportage", "Yearly progress reporting"),
    (Phase.EVALUATION, "Tussentijdse en eindevaluatie", "Mid-term and final evaluation"),
]

# OECD Guidelines for Multinational Enterprises, chapters III-XI.
OECD_CHAPTERS: list[tuple[str, str, str]] = [
    ("disclosure", "Openbaarmaking", "Disclosure"),
    ("human-rights", "Mensenrechten", "Human rights"),
    ("employment", "Arbeid en arbeidsverhoudingen", "Employment and industrial relations"),
    ("environment", "Milieu", "Environment"),
    ("bribery", "Bestrijding van omkoping", "Combating bribery"),
    ("consumer-interests", "Consumentenbelangen", "Consumer interests"),
    ("science-technology", "Wetenschap en technologie", "Science, technology and innovation"),
    ("competition", "Mededinging", "Competition"),
    ("taxation", "Belastingen", "Taxation"),
]

# The garment and textile covenant's nine themes, each under an OECD chapter.
GARMENT_THEMES: list[tuple[str, str, str, str]] = [
    (
        "discrimination-gender",
        "Discriminatie en gender",
        "Discrimination and gender",
        "human-rights",
    ),
    ("child-labour", "Kinderarbeid", "Child labour", "employment"),
    ("forced-labour", "Dwangarbeid", "Forced labour", "employment"),
    (
        "freedom-of-association",
        "Vrijheid van vakvereniging",
        "Freedom of association",
        "employment",
    ),
    ("living-wage", "Leefbaar loon", "Living wage", "employment"),
    (
        "health-safety",
        "Gezondheid en veiligheid op het werk",
        "Health and safety at work",
        "employment",
    ),
    ("raw-materials", "Grondstoffen", "Raw materials", "environment"),
    (
        "water-chemicals-energy",
        "Waterverontreiniging, chemicaliën, water en energie",
        "Water pollution, chemicals, water and energy",
        "environment",
    ),
    ("animal-welfare", "Dierenwelzijn", "Animal welfare", "environment"),
]


# --- scoping -----------------------------------------------------------------


def covenants_visible_to(user: AnyUser) -> QuerySet[Covenant]:
    """Covenants are public documents: everyone sees every covenant."""
    return Covenant.objects.all()


def visible_covenant(user: AnyUser, slug: str) -> Covenant | None:
    """The covenant `slug` if `user` sees it (covenants_visible_to), else None.

    Every public page and API answer starts here. While everyone sees every
    covenant it is one statement written out, read into the model as the ORM
    would (its backend converters applied): building and compiling the queryset
    was two thirds of the lookup's Python time (`.get()` 0.32 ms, `.first()`
    0.44 ms against 0.12 ms, docs/performance.md). Should the scoping ever
    narrow, the scoped queryset is asked instead."""
    if "\x00" in slug:  # no slug holds NUL; PostgreSQL refuses it in a query
        return None
    if not every_covenant_visible(user):
        return covenants_visible_to(user).filter(slug=slug).first()
    quote = connection.ops.quote_name
    # Interpolated: column and table names from the model; the slug is a parameter.
    sql = (
        f"SELECT {covenant_columns()} FROM {quote(Covenant._meta.db_table)} "  # noqa: S608
        f"WHERE {quote(str(Covenant._meta.get_field('slug').column))} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug])
        row = cursor.fetchone()
    return None if row is None else covenant_from_row(row)


def every_covenant_visible(user: AnyUser) -> bool:
    """Whether `user` sees every covenant (covenants_visible_to is not narrowed): a
    covenant may then be read by its slug in a statement written out."""
    return not covenants_visible_to(user).query.where


def covenant_columns(alias: str = "") -> str:
    """The covenant's columns, in its concrete fields' order, as a statement that
    `covenant_from_row` reads selects them (of table `alias`, when given)."""
    quote = connection.ops.quote_name
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{quote(str(f.column))}" for f in Covenant._meta.concrete_fields)


def covenant_from_row(row: Sequence[Any]) -> Covenant:
    """The covenant of a row that starts with `covenant_columns()`, read into the
    model as the ORM would (the backend's converters applied)."""
    fields, converters = _covenant_converters()
    values = list(row[: len(fields)])
    for i, convert, col in converters:
        for fn in convert:
            values[i] = fn(values[i], col, connection)
    return Covenant.from_db(connection.alias, fields, values)


def _covenant_converters() -> tuple[list[str], list[tuple[int, list[Any], Any]]]:
    """(field names, converters by column) of a covenant's row."""
    meta = Covenant._meta
    concrete = list(meta.concrete_fields)
    cols = [f.get_col(meta.db_table) for f in concrete]
    converters = []
    for i, col in enumerate(cols):
        convert = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if convert:
            converters.append((i, convert, col))
    return [f.attname for f in concrete], converters


def covenants_managed_by(user: AnyUser) -> QuerySet[Covenant]:
    if roles.is_platform_admin(user):
        return Covenant.objects.all()
    return Covenant.objects.filter(pk__in=roles.managed_covenant_ids(user))


def organisations_editable_by(user: AnyUser) -> QuerySet[Organisation]:
    """A member edits only its own organisation; a platform admin edits all."""
    if roles.is_platform_admin(user):
        return Organisation.objects.all()
    oid = roles.organisation_id(user)
    return Organisation.objects.filter(pk=oid) if oid else Organisation.objects.none()


def require_secretariat(user: AnyUser, covenant: Covenant) -> None:
    if not roles.is_secretariat(user, covenant):
        raise PermissionDeniedError(_("Only the covenant's secretariat can do this."))


def get_covenant(key: str | int) -> Covenant:
    """Look a covenant up by id or slug."""
    qs = Covenant.objects.all()
    # An id in ASCII digits ("²" passed isdigit() and failed int(): a 500 on the API).
    pk = whole_number(key)
    obj = qs.filter(pk=pk).first() if pk is not None else qs.filter(slug=str(key)).first()
    if obj is None:
        raise Covenant.DoesNotExist(f"No covenant with id or slug {key!r}")
    return obj


PUBLIC_CACHE_SECONDS = content_seconds()


def public_version() -> int:
    """A number that changes whenever public covenant data changes, for keys of
    cached public page fragments (home cards, covenant page, API answers).

    Bumped by signals (see apps.py). With a shared cache (CACHE_URL) every server
    process sees a bump within a second; without one, only the process that made
    the change, and the others when their fragment expires (PUBLIC_CACHE_SECONDS).
    """
    return data_version("covenants")


def bump_public_version(**_: Any) -> None:
    bump_data_version("covenants")


def public_covenant_list() -> QuerySet[Covenant]:
    return Covenant.objects.annotate(
        party_count=Count(
            "adherences",
            filter=Q(
                adherences__role=Adherence.Role.PARTY, adherences__status=Adherence.Status.ACTIVE
            ),
            distinct=True,
        ),
        stakeholder_count=Count(
            "adherences",
            filter=Q(
                adherences__role=Adherence.Role.STAKEHOLDER,
                adherences__status=Adherence.Status.ACTIVE,
            ),
            distinct=True,
        ),
    ).prefetch_related("themes")


# --- KPI progress ------------------------------------------------------------


@dataclass(frozen=True)
class KpiProgress:
    """Where an agreement's KPI stands against its target.

    fraction: share of the way from baseline to target (0..1+), None without data.
    expected: share of the time from baseline date to deadline that has passed.
    status: achieved / on_track / behind / no_data.
    """

    latest: Decimal | None
    latest_date: date | None
    fraction: float | None
    expected: float
    status: str

    @property
    def percent(self) -> int | None:
        return None if self.fraction is None else round(self.fraction * 100)

    @property
    def bar_percent(self) -> int:
        """For a progress bar, clamped to 0..100."""
        return max(0, min(100, self.percent or 0))

    @property
    def expected_percent(self) -> int:
        return round(self.expected * 100)


STATUS_LABELS = {
    "achieved": "Achieved",
    "on_track": "On track",
    "behind": "Behind",
    "no_data": "No data yet",
}

# Progress within 5 percentage points of the time elapsed still counts as on track.
ON_TRACK_TOLERANCE = 0.05


def agreements_as_of(covenant: Covenant, end: date, *related: str) -> QuerySet[Agreement]:
    """The covenant's agreements with their measurements up to `end` (in date order)
    and the `related` rows prefetched: what a report of a year reads."""
    upto = KpiMeasurement.objects.filter(date__lte=end).order_by("date", "id")
    return covenant.agreements.prefetch_related(*related, Prefetch("measurements", queryset=upto))


def progress_fraction(agreement: Agreement, value: Decimal) -> float:
    """The share of the way from the agreement's baseline to its target that `value`
    covers (1 where the target is the baseline)."""
    distance = agreement.target - agreement.baseline
    if distance == 0:
        return 1.0
    return float((value - agreement.baseline) / distance)


def kpi_progress(agreement: Agreement, today: date | None = None) -> KpiProgress:
    """Compute progress of the agreement's KPI, from its measurements.

    Works for rising targets (more audits) and falling ones (fewer incidents).
    "On track" means the share of the way to target covered is at least the
    share of the time elapsed, minus a tolerance: a linear path to the target.
    """
    today = today or timezone.localdate()
    measurements = getattr(agreement, "_prefetched_objects_cache", {}).get("measurements")
    if measurements is None:
        measurements = list(agreement.measurements.all())
    latest_m = max(measurements, key=lambda m: (m.date, m.id), default=None)
    span_days = (agreement.deadline - agreement.baseline_date).days
    if span_days <= 0:
        expected = 1.0
    else:
        expected = min(1.0, max(0.0, (today - agreement.baseline_date).days / span_days))
    if latest_m is None:
        return KpiProgress(None, None, None, expected, "no_data")
    fraction = progress_fraction(agreement, latest_m.value)
    if fraction >= 1.0:
        status = "achieved"
    elif fraction + ON_TRACK_TOLERANCE >= expected:
        status = "on_track"
    else:
        status = "behind"
    return KpiProgress(latest_m.value, latest_m.date, fraction, expected, status)


# --- governance ---------------------------------------------------------------


@dataclass(frozen=True)
class Representation:
    """The verdict on a body's balance, with the reasons a reader can check.

    seats_per_group: seats per constituency (chair and independent seats left out).
    missing: constituencies with a party in the covenant but no seat in the body.
    """

    seats_per_group: dict[str, int]
    has_independent_chair: bool
    equal: bool
    missing: tuple[str, ...] = ()

    @property
    def labelled(self) -> list[tuple[str, int]]:
        return [(str(StakeholderGroup(g).label), n) for g, n in self.seats_per_group.items()]

    @property
    def reasons(self) -> list[str]:
        """Why the verdict is what it is, in the reader's language."""
        out: list[str] = []
        for g in self.missing:
            out.append(
                _("%(group)s are parties to the covenant but hold no seat.")
                % {"group": StakeholderGroup(g).label}
            )
        if len(self.seats_per_group) < 2:
            out.append(_("Fewer than two constituencies hold a seat."))
        elif len(set(self.seats_per_group.values())) > 1:
            out.append(_("The constituencies hold different numbers of seats."))
        if not self.has_independent_chair:
            out.append(_("The body has no independent chair."))
        if not out:
            out.append(
                _(
                    "Every constituency of the parties holds %(n)s seat(s) under an independent chair."
                )
                % {"n": next(iter(self.seats_per_group.values()))}
            )
        return out


# Which constituency an organisation of each type sits for.
CONSTITUENCY_OF_TYPE: dict[str, str] = {
    Organisation.Type.COMPANY: StakeholderGroup.BUSINESS,
    Organisation.Type.BRANCH: StakeholderGroup.BUSINESS,
    Organisation.Type.UNION: StakeholderGroup.UNIONS,
    Organisation.Type.NGO: StakeholderGroup.NGOS,
    Organisation.Type.GOVERNMENT: StakeholderGroup.GOVERNMENT,
}


def party_constituencies(covenant: Covenant) -> set[str]:
    """The constituencies the covenant's active parties belong to (knowledge
    institutes and others are not a constituency of their own)."""
    types = (
        Adherence.objects.filter(
            covenant=covenant, role=Adherence.Role.PARTY, status=Adherence.Status.ACTIVE
        )
        .values_list("organisation__type", flat=True)
        .distinct()
    )
    return {CONSTITUENCY_OF_TYPE[t] for t in types if t in CONSTITUENCY_OF_TYPE}


def representation(
    body_seats: list[Seat], constituencies: set[str] | None = None
) -> Representation:
    """Are the constituencies equally represented, under an independent chair?

    The chair's seat and independent seats are left out of the count; every
    other constituency present must hold the same number of seats, and every
    constituency in `constituencies` (the covenant's parties) must hold one:
    two NGO parties without a seat make the body unequal.
    """
    counts: dict[str, int] = {}
    has_chair = False
    for seat in body_seats:
        if seat.is_chair:
            has_chair = has_chair or seat.group == StakeholderGroup.INDEPENDENT
            continue
        if seat.group == StakeholderGroup.INDEPENDENT:
            continue
        counts[seat.group] = counts.get(seat.group, 0) + 1
    missing = tuple(
        g for g in StakeholderGroup.values if g in (constituencies or set()) and g not in counts
    )
    equal = len(counts) >= 2 and len(set(counts.values())) == 1 and not missing
    return Representation(counts, has_chair, equal, missing)


# --- secretariat actions -----------------------------------------------------


@transaction.atomic
def create_covenant(user: AnyUser, **fields: Any) -> Covenant:
    """Create a covenant with its standard process steps and the OECD chapters.

    Platform admins and anyone already in a covenant secretariat (the SER's
    joint secretariat) may create one; the creator becomes its secretariat.
    """
    if not roles.is_secretariat(user):
        raise PermissionDeniedError(_("Only the secretariat can create a covenant."))
    covenant = Covenant.objects.create(**fields)
    ensure_process_steps(covenant)
    roles.grant_role(roles.signed_in(user), covenant, CovenantRole.Role.SECRETARIAT)
    return covenant


def ensure_process_steps(covenant: Covenant) -> None:
    existing = set(covenant.steps.values_list("order", flat=True))
    ProcessStep.objects.bulk_create(
        ProcessStep(covenant=covenant, order=i, phase=phase, name_nl=nl, name_en=en)
        for i, (phase, nl, en) in enumerate(PROCESS_STEPS, start=1)
        if i not in existing
    )


@transaction.atomic
def register_organisation(user: AnyUser, covenant: Covenant, org: Organisation) -> Organisation:
    """A covenant's secretariat registers a new organisation (before adding it to
    the covenant); its slug is made unique from its name."""
    from django.utils.text import slugify

    require_secretariat(user, covenant)
    base = slugify(org.name)[:180] or "organisation"
    taken = Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    org.slug = first_free(base, set(taken))
    org.save()
    return org


@transaction.atomic
def add_adherence(
    user: AnyUser,
    covenant: Covenant,
    organisation: Organisation,
    role: str,
    since: date | None = None,
    reason: str = "",
) -> Adherence:
    require_secretariat(user, covenant)
    return do_add_adherence(covenant, organisation, role, since, reason, user=user)


@transaction.atomic
def do_add_adherence(
    covenant: Covenant,
    organisation: Organisation,
    role: str,
    since: date | None = None,
    reason: str = "",
    user: AnyUser = None,
    consent_to_be_named: bool = False,
) -> Adherence:
    """The organisation takes part from `since` (today); its history starts with
    that day. Unchecked: `add_adherence` asks for the secretariat first; the demo
    (no one signed in) calls this, and its history is recorded as the system's."""
    if Adherence.objects.filter(covenant=covenant, organisation=organisation).exists():
        raise DomainError(
            _("%(org)s already takes part in this covenant; change its status instead.")
            % {"org": organisation.name}
        )
    adherence = Adherence.objects.create(
        covenant=covenant,
        organisation=organisation,
        role=role,
        since=since or timezone.localdate(),
        consent_to_be_named=consent_to_be_named,
    )
    AdherenceChange.objects.create(
        adherence=adherence,
        date=adherence.since,
        to_status=Adherence.Status.ACTIVE,
        reason=reason,
        by=roles.recorded_as(user),
    )
    return adherence


@transaction.atomic
def change_adherence(
    user: AnyUser,
    adherence: Adherence,
    status: str,
    on: date | None = None,
    reason: str = "",
    role: str | None = None,
) -> Adherence:
    """Suspend, withdraw or reinstate an organisation; the change is recorded, never erased."""
    require_secretariat(user, adherence.covenant)
    return do_change_adherence(adherence, status, on, reason, role, user=user)


@transaction.atomic
def do_change_adherence(
    adherence: Adherence,
    status: str,
    on: date | None = None,
    reason: str = "",
    role: str | None = None,
    user: AnyUser = None,
) -> Adherence:
    """The change itself, unchecked (see `do_add_adherence`)."""
    on = on or timezone.localdate()
    if status != Adherence.Status.ACTIVE and not reason.strip():
        raise DomainError(_("Give a reason when suspending or withdrawing an organisation."))
    previous = adherence.status
    adherence.status = status
    if role:
        adherence.role = role
    adherence.until = on if status == Adherence.Status.WITHDRAWN else None
    adherence.save()
    AdherenceChange.objects.create(
        adherence=adherence,
        date=on,
        from_status=previous,
        to_status=status,
        reason=reason,
        by=roles.recorded_as(user),
    )
    return adherence


@transaction.atomic
def save_agreement(user: AnyUser, agreement: Agreement, owners=None, themes=None) -> Agreement:  # type: ignore[no-untyped-def]
    require_secretariat(user, agreement.covenant)
    if agreement.deadline <= agreement.baseline_date:
        raise DomainError(_("The deadline must come after the baseline date."))
    agreement.save()
    if owners is not None:
        agreement.owners.set(owners)
    if themes is not None:
        require_themes_of(agreement.covenant, *themes)
        agreement.themes.set(themes)
    return agreement


def require_themes_of(covenant: Covenant, *themes: Theme | None) -> None:
    """Refuse a theme another covenant defined: a record names the OECD chapters,
    which every covenant shares, or its own covenant's sub-themes (the one rule
    of `Theme.objects.usable_in`, for themes already chosen)."""
    if any(t is not None and t.covenant_id not in (None, covenant.pk) for t in themes):
        raise DomainError(_("A theme of another covenant cannot be linked."))


# How far before the covenant's start (or the KPI's baseline) a measurement may
# be dated: a covenant's first report often looks a few years back, never decades.
MEASUREMENT_YEARS_BEFORE_START = 5


def earliest_measurement_date(agreement: Agreement) -> date:
    """1 January, five years before the covenant's start or the KPI's baseline,
    whichever is earlier. A date of year 1 was accepted and drew the KPI's chart
    over two thousand years; the future is refused too (`record_measurement`)."""
    start = agreement.covenant.start_date
    first = min(agreement.baseline_date, start) if start else agreement.baseline_date
    return date(max(1, first.year - MEASUREMENT_YEARS_BEFORE_START), 1, 1)


def measurement_date_problem(agreement: Agreement, on: date) -> str | None:
    """Why `on` cannot date a measurement of this KPI, or None. Shared by the API
    (through `record_measurement`) and the page's form (on its date field)."""
    if on > timezone.localdate():
        return _("A measurement cannot be dated in the future.")
    earliest = earliest_measurement_date(agreement)
    if on < earliest:
        return _(
            "A measurement dated %(date)s is too early: this KPI's measurements start on "
            "%(earliest)s (five years before the covenant's start or the KPI's baseline, "
            "whichever is earlier)."
        ) % {"date": on.isoformat(), "earliest": earliest.isoformat()}
    return None


@transaction.atomic
def record_measurement(
    user: AnyUser,
    agreement: Agreement,
    on: date,
    value: Decimal,
    source: str,
    note: str = "",
) -> KpiMeasurement:
    require_secretariat(user, agreement.covenant)
    if not source.strip():
        raise DomainError(_("Say where the figure comes from (source)."))
    if problem := measurement_date_problem(agreement, on):
        raise DomainError(problem)
    # The page's form checks these; the API did not (docs/security.md, T62): a
    # value past the column (14 digits, 2 after the point) was stored by SQLite
    # and then failed every read, a 500 on the covenant's page, API answer,
    # dashboard and open data; PostgreSQL refused it and the source past its
    # 300 characters with a 500 on the call itself.
    field = KpiMeasurement._meta.get_field("value")
    whole_digits = int(field.max_digits or 0) - int(field.decimal_places or 0)
    largest = Decimal(10) ** whole_digits
    if value.is_finite() and abs(value) < largest:  # rounded as the column keeps it
        value = value.quantize(Decimal(1).scaleb(-int(field.decimal_places or 0)))
    if not value.is_finite() or abs(value) >= largest:
        raise DomainError(
            _("The value is too large: at most %(n)d digits before the decimal point.")
            % {"n": whole_digits}
        )
    limit = int(KpiMeasurement._meta.get_field("source").max_length or 0)
    if len(source) > limit:
        raise DomainError(_("The source is too long: at most %(n)d characters.") % {"n": limit})
    if KpiUnit.counts_whole(agreement.kpi_unit) and value != value.to_integral_value():
        raise DomainError(
            _("%(kpi)s counts %(unit)s: give a whole number, not %(value)s.")
            % {"kpi": agreement.kpi_name, "unit": agreement.unit_label, "value": value}
        )
    return KpiMeasurement.objects.create(
        agreement=agreement,
        date=on,
        value=value,
        source=source,
        note=note,
        recorded_by=roles.recorded_as(user),
    )


@transaction.atomic
def update_step(
    user: AnyUser,
    step: ProcessStep,
    status: str,
    started: date | None = None,
    completed: date | None = None,
) -> ProcessStep:
    require_secretariat(user, step.covenant)
    step.status = status
    step.started = started
    step.completed = completed
    step.save()
    return step
