"""Risk engine services: indicator data, the company scan, the covenant's sector risk analysis
and the risk register with its prioritisation (UNGP 14, 17, 24).

Prioritisation, written down (also shown on the method page):

* severity = scale + scope + irremediable character, each on 1..4, so 3..12;
* likelihood on 1..4;
* priority (0..100) = 75 x (severity - 3) / 9 + 25 x (likelihood - 1) / 3.

Severity carries three times the weight of likelihood, so a severe and
irremediable risk outranks a likelier but mild one (UNGP 24: first the most
severe impacts, or those that delay would make irremediable); among risks of
equal severity the likelier comes first. Involvement (cause / contribute /
directly linked) and leverage do not change the rank: they decide the
*response* (UNGP 19), which `suggested_response` spells out.

Other apps are used through agreed interfaces imported lazily, so this app
works before they are merged: `imvo.supplychain.seams.supplier_rows`
(the company's processed supplier list) falls back to no rows, and the
company can enter countries and products by hand (`SourcingEntry`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import polars as pl
from django.db import DatabaseError, transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts.seams import AnyUser, recorded_as
from imvo.core.countries import display_name as country_name
from imvo.core.countries import normalise_country as country_code
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.risk import reference as ref
from imvo.risk.importers import SOURCES, read_source
from imvo.risk.models import (
    IndicatorSource,
    IndicatorValue,
    ListedGood,
    PriorityOverride,
    RegisterEntry,
    SourcingEntry,
    reader_heading,
)
from imvo.risk.scan import (
    STORED_FORMAT,
    IndicatorTables,
    Model,
    ScanResult,
    SourcingRow,
    build_model,
    bundled_tables,
    combine,
    from_stored,
    heatmap,
    prepare_rows,
    scan_frame,
    sourcing_frame,
    theme_summary,
    to_stored,
    weighted,
)
from imvo.supplychain.models import DisclosureVersion

if TYPE_CHECKING:
    from imvo.covenants.models import Covenant, Organisation

log = logging.getLogger(__name__)

# --- indicator data -----------------------------------------------------------------


def import_source(
    source: str, path: Path, edition: int | None = None
) -> tuple[IndicatorSource, list[str]]:
    """Import a publisher's file as one source edition (replacing that edition if it was there).

    Returns the source edition and the rows that were skipped, with why.
    """
    parsed = read_source(source, path, edition)
    info = SOURCES[source]
    with transaction.atomic():
        IndicatorSource.objects.filter(code=source, edition_year=parsed.edition).delete()
        src = IndicatorSource.objects.create(
            code=source,
            name=info.name,
            publisher=info.publisher,
            edition_year=parsed.edition,
            licence=info.licence,
            url=info.url,
            file_name=path.name,
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(source=src, indicator=i, country=c, value=v, raw=raw[:100])
            for i, c, v, raw in parsed.values
        )
        ListedGood.objects.bulk_create(
            ListedGood(source=src, country=c, good=g[:200], child_labour=ch, forced_labour=fo)
            for c, g, ch, fo in parsed.goods
        )
    _model_cache.clear()
    return src, parsed.skipped


def indicator_tables() -> IndicatorTables:
    """The indicator data in use: the bundled table, with each source replaced by the newest
    edition imported into the database when that edition is at least as recent."""
    tables = bundled_tables()
    latest: dict[str, IndicatorSource] = {}
    for src in IndicatorSource.objects.order_by("code", "-edition_year"):
        latest.setdefault(src.code, src)
    replaced = {
        code
        for code, src in latest.items()
        if src.edition_year >= int(tables.sources.get(code, {}).get("edition_year", 0))
    }
    if not replaced:
        return tables
    values = [v for v in tables.values if v[0] not in replaced]
    goods = [g for g in tables.goods if g[0] not in replaced]
    sources = {k: v for k, v in tables.sources.items() if k not in replaced}
    for code in replaced:
        src = latest[code]
        sources[code] = {
            "name": src.name,
            "publisher": src.publisher,
            "edition_year": src.edition_year,
            "licence": src.licence,
            "url": src.url,
            "origin": "imported",
        }
        values.extend(
            (code, ind, c, src.edition_year, v, raw)
            for ind, c, v, raw in src.values.values_list("indicator", "country", "value", "raw")
        )
        goods.extend(
            (code, src.edition_year, c, g, ch, fo)
            for c, g, ch, fo in src.goods.values_list(
                "country", "good", "child_labour", "forced_labour"
            )
        )
    return IndicatorTables(values, goods, sources, origin="database")


_model_cache: dict[Any, Model] = {}
_model_lock = threading.Lock()


def indicator_data_key() -> tuple[Any, ...]:
    """Changes whenever an indicator source edition is imported (or replaced)."""
    return tuple(IndicatorSource.objects.aggregate(m=Max("imported"), n=Max("id")).values())


def current_model() -> Model:
    """The scan model for the data in use, cached until a new edition is imported."""
    try:
        key = indicator_data_key()
    except DatabaseError:
        # No database yet (an offline `imvo scan` before `imvo migrate`): the bundled data.
        key = ("bundled-only",)
        with _model_lock:
            if key not in _model_cache:
                _model_cache[key] = build_model(bundled_tables())
            return _model_cache[key]
    with _model_lock:
        if key not in _model_cache:
            _model_cache.clear()
            _model_cache[key] = build_model(indicator_tables())
        return _model_cache[key]


def sources_in_use() -> list[dict[str, Any]]:
    """Each source edition the scan uses, with its provenance (for the sources page and exports)."""
    tables = indicator_tables()
    out = []
    for code, s in sorted(tables.sources.items()):
        n = sum(1 for v in tables.values if v[0] == code) + sum(
            1 for g in tables.goods if g[0] == code
        )
        out.append({"code": code, "origin": "bundled", **s, "values": n})
    return out


def scan_records(
    records: Sequence[SourcingRow] | Sequence[dict[str, Any]] | pl.DataFrame,
    model: Model | None = None,
) -> ScanResult:
    """Scan sourcing rows: typed rows (`SourcingRow`), or dicts with country, sector,
    product, name, workers, row_id (a file read by `imvo scan`, rows posted to the API).
    `model`: the scan model already looked up (`current_model()` when not given)."""
    rows: Sequence[dict[str, Any]] | pl.DataFrame
    if isinstance(records, pl.DataFrame):
        rows = records
    elif not records:
        rows = pl.DataFrame(
            schema={"row_id": pl.Int64, "country": pl.Utf8, "sector": pl.Utf8, "product": pl.Utf8}
        )
    elif isinstance(records[0], SourcingRow):
        rows = sourcing_frame(cast(Sequence[SourcingRow], records))
    else:
        rows = cast(Sequence[dict[str, Any]], records)
    model = model or current_model()
    return scan_frame(model, prepare_rows(rows, model))


# --- the company's chain -------------------------------------------------------------


def member_company(user: AnyUser) -> Organisation:
    """The signed-in member's company, whose scan and register the pages and the API
    show; anyone without one has no company risk pages (404)."""
    org: Organisation | None = getattr(user, "organisation", None)
    if org is None:
        raise Http404(_("Risk scans are for member companies."))
    return org


def _list_rows(rows: Iterable[Any]) -> list[SourcingRow]:
    """Supplier-list rows (the supply chain's typed `SupplierRow`) as sourcing rows."""
    return [
        SourcingRow(f"list-{r.row_id}", r.name, r.country, r.sector, r.product, r.workers)
        for r in rows
    ]


def hand_entered_rows(organisation: Organisation) -> list[SourcingRow]:
    """The countries and products the company entered by hand."""
    return _hand_rows(SourcingEntry.objects.filter(organisation=organisation).order_by("pk"))


def _hand_rows(entries: Iterable[SourcingEntry]) -> list[SourcingRow]:
    return [
        SourcingRow(
            f"manual-{e.pk}",
            e.product or str(ref.SECTOR_LABELS.get(e.sector, e.sector)),
            e.country,
            e.sector,
            e.product,
            e.workers,
        )
        for e in entries
    ]


def supplier_rows_for(
    organisation: Organisation, covenant: Covenant | None = None
) -> list[SourcingRow]:
    """The company's sourcing: its latest processed supplier list (supplychain app) plus the
    countries and products it entered by hand."""
    from imvo.supplychain.seams import supplier_rows

    return [
        *_list_rows(supplier_rows(organisation, covenant=covenant)),
        *hand_entered_rows(organisation),
    ]


# --- the scan stored per disclosure version ---------------------------------------------
#
# A disclosure version never changes, so the scan of the company's sourcing while
# that version is current is computed once and stored on the version
# (`DisclosureVersion.risk_scan`), with the inputs it was computed from that can
# change: the indicator data in use and the company's hand-entered sourcing. A
# stored scan whose inputs differ from today's is stale; the next read computes
# it again, once, and stores it (docs/risk.md, "The stored scan").


def scan_inputs(organisation: Organisation) -> dict[str, str]:
    """The inputs of a stored scan besides the version's own rows: the indicator data
    in use and the company's hand-entered sourcing (each as a short fingerprint)."""
    entries = SourcingEntry.objects.filter(organisation=organisation).order_by("pk")
    return _inputs(indicator_data_key(), entries)


def _inputs(indicators: tuple[Any, ...], entries: Iterable[SourcingEntry]) -> dict[str, str]:
    sourcing = repr([(e.pk, e.country, e.sector, e.product, e.workers) for e in entries])
    return {
        "indicators": repr(indicators),
        "sourcing": hashlib.sha256(sourcing.encode()).hexdigest()[:16],
    }


def _stored(version_id: int) -> dict[str, Any] | None:
    doc = DisclosureVersion.objects.filter(pk=version_id).values_list("risk_scan", flat=True)
    found = doc.first()
    return found if isinstance(found, dict) else None


def _is_fresh(doc: dict[str, Any] | None, inputs: dict[str, str]) -> bool:
    """Stored in today's form, from today's inputs."""
    return doc is not None and doc.get("format") == STORED_FORMAT and doc.get("inputs") == inputs


def _company_of(version_id: int) -> Organisation | None:
    """The member whose disclosure the version is a version of."""
    from imvo.covenants.models import Organisation

    return Organisation.objects.filter(disclosures__versions=version_id).first()


def is_stale(version_id: int) -> bool:
    """Whether a version's stored scan is missing or computed from inputs that changed."""
    organisation = _company_of(version_id)
    if organisation is None:
        raise DisclosureVersion.DoesNotExist(f"no disclosure version {version_id}")
    return not _is_fresh(_stored(version_id), scan_inputs(organisation))


def version_scan(version_id: int, organisation: Organisation) -> ScanResult:
    """The company's scan while this disclosure version is current: the stored one, or
    (missing or stale) computed from the version's rows and the hand-entered sourcing
    and stored."""
    from imvo.supplychain.seams import version_supplier_rows

    inputs = scan_inputs(organisation)
    doc = _stored(version_id)
    if doc is not None and _is_fresh(doc, inputs):
        return from_stored(doc)
    rows = [*_list_rows(version_supplier_rows(version_id)), *hand_entered_rows(organisation)]
    result = scan_records(rows)
    DisclosureVersion.objects.filter(pk=version_id).update(
        risk_scan={**to_stored(result), "inputs": inputs}
    )
    return result


def scan_disclosure_version(version_id: int) -> None:
    """A disclosure version became current: store its scan now, so no page view pays
    for it. A restore takes the restored version's scan when that one is fresh."""
    organisation = _company_of(version_id)
    if organisation is None:  # deleted before the task ran
        return
    restored_from = (
        DisclosureVersion.objects.filter(pk=version_id)
        .values_list("restored_from_id", flat=True)
        .first()
    )
    if restored_from is not None and _stored(version_id) is None:
        earlier = _stored(restored_from)
        if _is_fresh(earlier, scan_inputs(organisation)):
            DisclosureVersion.objects.filter(pk=version_id).update(risk_scan=earlier)
            return
    version_scan(version_id, organisation)


def company_scan(organisation: Organisation, covenant: Covenant | None = None) -> ScanResult:
    """The company's scan: its latest disclosure's rows and its hand-entered sourcing.

    Read from the stored scan of the current disclosure version (computed when the
    version became current). Computed on the spot only without a disclosure (the
    hand-entered rows alone) or when the latest year has disclosures in several
    covenants and no covenant is named (their rows together)."""
    from imvo.supplychain.seams import current_version_ids

    versions = current_version_ids(organisation, covenant=covenant)
    if len(versions) == 1:
        return version_scan(versions[0], organisation)
    return scan_records(supplier_rows_for(organisation, covenant))


def _require_member(user: AnyUser, organisation: Organisation) -> None:
    from imvo.accounts import seams as roles

    if roles.is_platform_admin(user):
        return
    if roles.organisation_id(user) != organisation.pk:
        raise PermissionDeniedError(_("Only the company's own members can change its risk data."))


def add_sourcing(
    user: AnyUser,
    organisation: Organisation,
    country: str,
    sector: str = "",
    product: str = "",
    workers: int | None = None,
) -> SourcingEntry:
    """Record by hand that the company sources a product from a country."""
    _require_member(user, organisation)
    cc = country_code(country)
    if cc is None:
        raise DomainError(
            _("Country %(c)r is not recognised; use a name (Bangladesh) or code (BD).")
            % {"c": country}
        )
    if sector and sector not in ref.SECTORS:
        raise DomainError(
            _("Sector %(s)r is not one of: %(all)s.") % {"s": sector, "all": ", ".join(ref.SECTORS)}
        )
    return SourcingEntry.objects.create(
        organisation=organisation,
        country=cc,
        sector=sector,
        product=product.strip()[:200],
        workers=workers,
    )


def remove_sourcing(user: AnyUser, entry: SourcingEntry) -> None:
    """Remove a hand-made sourcing line (the company's own members only)."""
    _require_member(user, entry.organisation)
    entry.delete()


# --- prioritisation ------------------------------------------------------------------

SCALE_LABELS = {
    "scale": [
        gettext_lazy("minor"),
        gettext_lazy("moderate"),
        gettext_lazy("serious"),
        gettext_lazy("very serious (life, liberty, health)"),
    ],
    "scope": [
        gettext_lazy("few people"),
        gettext_lazy("a group"),
        gettext_lazy("many people"),
        gettext_lazy("very many / widespread"),
    ],
    "irremediability": [
        gettext_lazy("fully remediable soon"),
        gettext_lazy("remediable with effort"),
        gettext_lazy("hard to remedy"),
        gettext_lazy("irreversible"),
    ],
    "likelihood": [
        gettext_lazy("unlikely"),
        gettext_lazy("possible"),
        gettext_lazy("likely"),
        gettext_lazy("almost certain or happening"),
    ],
}


def severity_of(scale: int, scope: int, irremediability: int) -> int:
    """Severity (UNGP 14 commentary): scale + scope + irremediable character, 3..12."""
    for name, v in (
        ("scale", scale),
        ("scope", scope),
        ("irremediable character", irremediability),
    ):
        if not 1 <= int(v) <= 4:
            raise DomainError(
                _("%(name)s must be 1..4, not %(v)s.") % {"name": name.capitalize(), "v": v}
            )
    return int(scale) + int(scope) + int(irremediability)


def compute_priority(scale: int, scope: int, irremediability: int, likelihood: int) -> float:
    """Priority 0..100: severity weighs three times likelihood (see the module docstring)."""
    if not 1 <= int(likelihood) <= 4:
        raise DomainError(_("Likelihood must be 1..4, not %(v)s.") % {"v": likelihood})
    sev = severity_of(scale, scope, irremediability)
    return round(75 * (sev - 3) / 9 + 25 * (int(likelihood) - 1) / 3, 1)


def suggested_response(entry: RegisterEntry) -> str:
    """What the OECD guidance asks given involvement and leverage (UNGP 19)."""
    if entry.involvement == RegisterEntry.Involvement.CAUSE:
        return _("Cease or prevent the impact, and provide for remedy.")
    if entry.involvement == RegisterEntry.Involvement.CONTRIBUTE:
        return _(
            "Cease or prevent your contribution, use leverage on the rest, and contribute to remedy."
        )
    share = entry.leverage_share or 0
    if share >= 10:
        return _(
            "Use your leverage as a significant buyer to make the supplier prevent or mitigate it."
        )
    if entry.members_sharing:
        return _(
            "Little leverage alone: act with the %(n)s other covenant member(s) sourcing there "
            "to build leverage."
        ) % {"n": entry.members_sharing}
    return _(
        "Seek to increase leverage (collaborate, contract terms); disengage responsibly only as "
        "a last resort."
    )


DEFAULT_SCALE = {
    "child-labour": 4,
    "forced-labour": 4,
    "health-safety": 4,
    "human-rights": 3,
    "freedom-of-association": 3,
    "living-wage": 3,
    "discrimination-gender": 3,
    "water-chemicals-energy": 3,
    "environment": 3,
}
DEFAULT_IRREMEDIABLE = {
    "child-labour": 4,
    "forced-labour": 4,
    "health-safety": 4,
    "human-rights": 3,
    "environment": 3,
    "water-chemicals-energy": 3,
}


def _likelihood_from_score(score: float) -> int:
    return 4 if score >= 75 else 3 if score >= ref.HIGH else 2 if score >= ref.MEDIUM else 1


def _recompute(entry: RegisterEntry) -> None:
    entry.severity = severity_of(entry.scale, entry.scope, entry.irremediability)
    entry.computed_priority = compute_priority(
        entry.scale, entry.scope, entry.irremediability, entry.likelihood
    )
    entry.priority = (
        entry.override_priority if entry.override_priority is not None else entry.computed_priority
    )


def _theme_row(code: str, covenant: Covenant | None) -> Any:
    from imvo.covenants.models import Theme

    if covenant is not None:
        t = Theme.objects.filter(code=code, covenant=covenant).first()
        if t:
            return t
    return Theme.objects.filter(code=code, covenant__isnull=True).first()


def register_from_scan(
    user: AnyUser, organisation: Organisation, covenant: Covenant | None = None, top: int = 10
) -> list[RegisterEntry]:
    """Turn the scan's highest (theme, country) risks into register entries with suggested scores.

    Suggestions only: scale and irremediability by theme, scope by the share of the
    company's rows in that country, likelihood by the inherent score. Risks already in
    the register (same theme and country) are left alone, with the person's edits.
    """
    _require_member(user, organisation)
    result = company_scan(organisation, covenant)
    if result.rows.is_empty():
        raise DomainError(
            _("There is nothing to scan yet: add a supplier list or the countries you source from.")
        )
    # Scope from the share of the company's workers in that country when known, else of its rows.
    workers = result.rows.get_column("workers").fill_null(0)
    weight_col = "workers" if workers.sum() > 0 else "one"
    rows = result.rows.with_columns(one=pl.lit(1), workers=pl.col("workers").fill_null(0))
    total = rows.get_column(weight_col).sum()
    per_country = dict(rows.group_by("country").agg(pl.col(weight_col).sum()).iter_rows())
    # Per theme and country the sector with the highest score, and the rows behind it.
    top_pairs = (
        weighted(result)
        .filter(pl.col("country").is_not_null())
        .sort(["score", "n"], descending=True)
        .group_by("theme", "country", maintain_order=True)
        .agg(
            score=pl.col("score").first(),
            sector=pl.col("sector").first(),
            good=pl.col("good").first(),
            rows=pl.col("n").sum(),
        )
        .sort(["score", "rows", "country", "theme"], descending=[True, True, False, False])
        .head(top)
    )
    existing = set(
        RegisterEntry.objects.filter(organisation=organisation).values_list("theme_code", "country")
    )
    created = []
    with transaction.atomic():
        for r in top_pairs.iter_rows(named=True):
            if (r["theme"], r["country"]) in existing:
                continue
            share = (per_country.get(r["country"]) or 0) / total if total else 0
            entry = RegisterEntry(
                organisation=organisation,
                covenant=covenant,
                theme=_theme_row(r["theme"], covenant),
                theme_code=r["theme"],
                country=r["country"],
                product=str(ref.SECTOR_LABELS.get(r["sector"], r["sector"])),
                title=f"{ref.THEME_LABELS[r['theme']]} - {country_name(r['country'])}",
                scale=DEFAULT_SCALE.get(r["theme"], 2),
                scope=4 if share >= 0.5 else 3 if share >= 0.2 else 2 if share >= 0.05 else 1,
                irremediability=DEFAULT_IRREMEDIABLE.get(r["theme"], 2),
                likelihood=_likelihood_from_score(r["score"]),
                inherent_score=r["score"],
                reasons=result.reasons_for(r["country"], r["sector"], r["theme"], r["good"]),
            )
            _recompute(entry)
            entry.save()
            created.append(entry)
    return created


EDITABLE = (
    "title",
    "scale",
    "scope",
    "irremediability",
    "likelihood",
    "involvement",
    "leverage",
    "leverage_share",
    "members_sharing",
    "status",
    "owner",
)


def _set_override(
    user: AnyUser, entry: RegisterEntry, previous: float | None, new: float | None, reason: str
) -> None:
    """Hand-set the entry's priority (None: withdraw it), keeping the override with its reason."""
    PriorityOverride.objects.create(
        entry=entry, previous=previous, new=new, reason=reason.strip(), by=recorded_as(user)
    )
    entry.override_priority = new
    entry.override_reason = reason.strip() if new is not None else ""


def update_entry(
    user: AnyUser,
    entry: RegisterEntry,
    override_priority: float | None = None,
    override_reason: str = "",
    clear_override: bool = False,
    **fields: Any,
) -> RegisterEntry:
    """Change a register entry; a hand-set priority needs a reason, and every override is kept."""
    _require_member(user, entry.organisation)
    for k, v in fields.items():
        if k not in EDITABLE:
            raise DomainError(f"{k} cannot be changed here.")
        setattr(entry, k, v)
    if entry.involvement not in RegisterEntry.Involvement.values:
        raise DomainError(
            f"Involvement must be one of {', '.join(RegisterEntry.Involvement.values)}."
        )
    if entry.status not in RegisterEntry.Status.values:
        raise DomainError(f"Status must be one of {', '.join(RegisterEntry.Status.values)}.")
    if entry.leverage_share is not None and not 0 <= entry.leverage_share <= 100:
        raise DomainError(_("The share of the facility's output is a percentage, 0..100."))
    with transaction.atomic():
        if clear_override and entry.override_priority is not None:
            if not override_reason.strip():
                raise DomainError(_("Say why the hand-set priority is withdrawn."))
            _set_override(user, entry, entry.override_priority, None, override_reason)
        elif override_priority is not None and override_priority != entry.override_priority:
            if not 0 <= override_priority <= 100:
                raise DomainError(_("A priority is 0..100."))
            if not override_reason.strip():
                raise DomainError(
                    _("A hand-set priority needs a reason: why does the computed one not fit?")
                )
            _set_override(user, entry, entry.priority, override_priority, override_reason)
        _recompute(entry)
        entry.save()
    return entry


def create_entry(
    user: AnyUser,
    organisation: Organisation,
    theme_code: str,
    title: str,
    country: str = "",
    covenant: Covenant | None = None,
    **fields: Any,
) -> RegisterEntry:
    """Add a risk to the register by hand (not every salient risk shows in country data)."""
    _require_member(user, organisation)
    if theme_code not in ref.THEME_CODES:
        raise DomainError(f"Theme {theme_code!r} is not one of: {', '.join(ref.THEME_CODES)}.")
    cc = ""
    if country:
        cc = country_code(country) or ""
        if not cc:
            raise DomainError(_("Country %(c)r is not recognised.") % {"c": country})
    entry = RegisterEntry(
        organisation=organisation,
        covenant=covenant,
        theme=_theme_row(theme_code, covenant),
        theme_code=theme_code,
        country=cc,
        title=title.strip()[:300] or theme_code,
    )
    for k, v in fields.items():
        if k not in EDITABLE:
            raise DomainError(f"{k} cannot be set here.")
        setattr(entry, k, v)
    _recompute(entry)
    entry.save()
    return entry


@dataclass(frozen=True)
class ReadableEntry:
    """A register entry (or its snapshot in a submission) in the reader's words."""

    heading: str
    theme: str
    country: str
    involvement: str


def readable_entry(row: dict[str, Any]) -> ReadableEntry:
    """The words a person reads for a snapshot made by `entry_as_dict`: the scan's
    title, the theme and the country in the reader's language, the involvement as
    'Directly linked to' rather than its stored code."""
    code = row.get("theme_code") or ""
    country = row.get("country") or ""
    involvement = dict(RegisterEntry.Involvement.choices).get(row.get("involvement") or "")
    return ReadableEntry(
        heading=reader_heading(row.get("title") or "", code, country),
        theme=str(ref.THEME_LABELS.get(code, code)),
        country=country_name(country) if country else "",
        involvement=str(involvement or row.get("involvement") or ""),
    )


def register_entries(
    organisation: Organisation, covenant: Covenant | None = None
) -> QuerySet[RegisterEntry]:
    """The organisation's risk register, highest priority first (agreed interface for other apps).

    Callers scope access themselves: this returns the organisation's entries unfiltered by user.
    """
    qs = RegisterEntry.objects.filter(organisation=organisation).select_related("theme")
    if covenant is not None:
        from django.db.models import Q

        qs = qs.filter(Q(covenant=covenant) | Q(covenant__isnull=True))
    return qs.order_by("-priority", "id")


def entry_as_dict(entry: RegisterEntry) -> dict[str, Any]:
    """A JSON-able snapshot of a register entry (for due-diligence submissions)."""
    return {
        "id": entry.pk,
        "theme": entry.theme_id,
        "theme_code": entry.theme_code,
        "country": entry.country,
        "product": entry.product,
        "title": entry.title,
        "scale": entry.scale,
        "scope": entry.scope,
        "irremediability": entry.irremediability,
        "severity": entry.severity,
        "likelihood": entry.likelihood,
        "computed_priority": entry.computed_priority,
        "override_priority": entry.override_priority,
        "override_reason": entry.override_reason,
        "priority": entry.priority,
        "involvement": entry.involvement,
        "leverage": entry.leverage,
        "leverage_share": entry.leverage_share,
        "members_sharing": entry.members_sharing,
        "status": entry.status,
        "owner": entry.owner,
        "inherent_score": entry.inherent_score,
        "reasons": entry.reasons,
        "updated": entry.updated.isoformat() if entry.updated else None,
    }


# --- covenant sector risk analysis -----------------------------------------------------


def is_non_company_party(user: Any, covenant: Covenant) -> bool:
    """A user of a union, NGO, government or branch party active in the covenant:
    the sector risk analysis is one of their tools (issue 17); a company has its own scan."""
    from imvo.covenants.models import Organisation
    from imvo.covenants.seams import active_adherence

    adherence = active_adherence(user, covenant)
    return adherence is not None and adherence.organisation.type != Organisation.Type.COMPANY


def member_scans(orgs: Sequence[Organisation], covenant: Covenant) -> list[tuple[str, ScanResult]]:
    """`company_scan(org, covenant)` of each member (named by its id), in a number of
    queries that does not grow with the members: the indicator data key, the current
    disclosure versions, the hand-entered sourcing and the stored scans are each read
    once for all. A missing or stale stored scan is computed and stored (`version_scan`)."""
    from imvo.supplychain.seams import current_version_ids_by_organisation

    ids = [org.pk for org in orgs]
    versions = current_version_ids_by_organisation(ids, covenant=covenant)
    entries: dict[int, list[SourcingEntry]] = {pk: [] for pk in ids}
    for e in SourcingEntry.objects.filter(organisation__in=ids).order_by("pk"):
        entries[e.organisation_id].append(e)
    single = [own[0] for own in versions.values() if len(own) == 1]
    stored = dict(DisclosureVersion.objects.filter(pk__in=single).values_list("pk", "risk_scan"))
    indicators = indicator_data_key()
    model: Model | None = None
    scans = []
    for org in orgs:
        own = versions.get(org.pk, [])
        if len(own) == 1:
            doc = stored.get(own[0])
            if isinstance(doc, dict) and _is_fresh(doc, _inputs(indicators, entries[org.pk])):
                scans.append((str(org.pk), from_stored(doc)))
            else:
                scans.append((str(org.pk), version_scan(own[0], org)))
        elif not own:  # nothing disclosed: the hand-entered rows alone
            model = model or current_model()
            scans.append((str(org.pk), scan_records(_hand_rows(entries[org.pk]), model)))
        else:
            scans.append((str(org.pk), company_scan(org, covenant)))
    return scans


def covenant_analysis(covenant: Covenant) -> dict[str, Any]:
    """The covenant's sector risk analysis from its member companies' sourcing, in aggregate only.

    Where sourcing concentrates (countries by rows and workers), which themes carry
    the highest risk, and a country x theme heatmap. No company is named.
    """
    from imvo.covenants.models import Organisation

    orgs = Organisation.objects.in_covenant(covenant, active=True).filter(
        type=Organisation.Type.COMPANY
    )
    # Each member's own scan (stored with its disclosure version), put side by side.
    scans = [(name, scan) for name, scan in member_scans(list(orgs), covenant) if scan.rows.height]
    companies = len(scans)
    fingerprints = {name: sourcing_fingerprint(scan) for name, scan in scans}
    former = {name: former_fingerprint(scan) for name, scan in scans}
    result = combine(scans) if scans else scan_records([])
    countries = []
    if result.rows.height:
        # Each row id starts with its member's part name (`combine`): the members
        # behind a country, which the public report needs for the disclosure rule.
        c = (
            result.rows.group_by("country")
            .agg(
                rows=pl.len(),
                workers=pl.col("workers").sum(),
                members=pl.col("row_id").str.split("-").list.first().unique(),
            )
            .sort(["rows", "country"], descending=[True, False])
        )
        total = result.rows.height
        countries = [
            {
                "country": r["country"] or "??",
                "rows": r["rows"],
                "share": round(100 * r["rows"] / total, 1),
                "workers": r["workers"] or 0,
                "companies": len(r["members"]),
                "members": frozenset(r["members"]),  # for the K rule only, never shown
            }
            for r in c.iter_rows(named=True)
        ]
    return {
        "covenant": covenant,
        "profile": sector_profile(covenant),
        "companies": companies,
        "rows": result.rows.height,
        "countries": countries,
        "themes": theme_summary(result),
        "heatmap": heatmap(result),
        "attribution": result.attribution,
        "result": result,
        "fingerprints": fingerprints,  # per member id, for the parties' releases; never shown
        "former_fingerprints": former,  # the same as releases before T83 kept them
    }


def sector_profile(covenant: Covenant) -> dict[str, Any] | None:
    """The sector's risk profile (reference data, before any member's sourcing)."""
    key = ref.COVENANT_SECTOR_PROFILE.get(covenant.sector)
    if not key:
        return None
    p = ref.SECTOR_PROFILES[key]
    return {
        "key": key,
        "label": ref.SECTOR_LABELS[key],
        "why": p["why"],
        "themes": sorted(
            ((ref.THEME_LABELS[t], w) for t, w in p["weights"].items()),
            key=lambda tw: -tw[1],
        ),
    }


def sourcing_fingerprint(scan: ScanResult) -> str:
    """What a member's part of the analysis rests on (its rows as scanned, not the
    scores: an indicator edition changes every member's scores at once and is not
    one member's change). Only what the parties' figures read from a row: a supplier
    renamed or a country spelt anew moves no figure, and counted towards the K
    changed members of a release, so the next one could differ from the last by one
    member's change alone (docs/security.md T83)."""
    return FINGERPRINT_PREFIX + _rows_digest(
        scan.rows.select("country", "sector", "good", "workers")
    )


FINGERPRINT_PREFIX = "v2:"  # releases made before T83 keep the former digest, unprefixed


def former_fingerprint(scan: ScanResult) -> str:
    """The digest releases kept before T83 (names and countries as written too): a
    member is compared with an older release by it, so that the new digest alone
    does not count every member as changed and release what fewer than K did."""
    return _rows_digest(
        scan.rows.select("name", "country_raw", "country", "sector", "good", "workers")
    )


def _rows_digest(rows: pl.DataFrame) -> str:
    # JSON of the sorted rows, not a CSV writer: no table leaves here (every table
    # for people goes through core.exports), and polars' own row hash is not stable
    # across its versions, which would count every member as changed after an upgrade.
    text = json.dumps(rows.sort(rows.columns).rows(), default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def public_countries(countries: list[dict[str, Any]], k: int) -> tuple[list[dict[str, Any]], float]:
    """(countries K or more members source in, the share of rows of the others
    folded together). The folded share must itself rest on K members (or be
    nothing): otherwise the smallest named countries join it, as on the public
    production-location map, since 100% minus the named shares would give away
    the few members behind it."""
    named = [c for c in countries if c["companies"] >= k]
    folded = [c for c in countries if c["companies"] < k]
    behind: set[Any] = set().union(*(c["members"] for c in folded)) if folded else set()
    while folded and len(behind) < k and named:
        smallest = named.pop()
        folded.append(smallest)
        behind |= smallest["members"]
    return named, round(sum(c["share"] for c in folded), 1)


def party_analysis(a: dict[str, Any], k: int) -> dict[str, Any]:
    """The sector analysis as a union, NGO, government or branch party reads it: the
    same disclosure rule as the public report (`public_countries`). A country fewer
    than K members source in is one "other countries" row, and is left out of the
    heatmap and of the themes' drivers (its rows, workers and products there would
    be one member's sourcing)."""
    named, _other = public_countries(a["countries"], k)
    keep = {c["country"] for c in named}
    folded = [c for c in a["countries"] if c["country"] not in keep]
    countries = [dict(c) for c in named]
    if folded:
        countries.append(
            {
                "country": _("Other countries (fewer than %(k)s members each)") % {"k": k},
                "rows": sum(c["rows"] for c in folded),
                "share": round(sum(c["share"] for c in folded), 1),
                "workers": sum(c["workers"] for c in folded),
            }
        )
    heat = dict(a["heatmap"])
    heat["table"] = [r for r in heat.get("table", []) if r["key"] in keep]
    themes = [
        {**t, "drivers": [d for d in t["drivers"] if d["country"] in keep]} for t in a["themes"]
    ]
    return {**a, "countries": countries, "heatmap": heat, "themes": themes}


def stamp() -> str:
    return timezone.now().strftime("%Y-%m-%d %H:%M UTC")
