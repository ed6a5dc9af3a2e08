"""Reporting and transparency: the yearly progress report, dashboards, open data
and the learning library.

The yearly progress report of a covenant is built from the data: the
covenant's membership and its agreements' KPIs against target (from
``imvo.covenants``), plus every section that the other apps offer through the
registry (``imvo.core.registry``: supply chain, risk, due diligence,
complaints), typed as ``ReportSection``. Those sections carry public aggregates
only. A section that fails to build is reported as an error, and a report with
errors cannot be published.

Publishing freezes the report: the data snapshot, the rendered HTML and the PDF
are stored in a :class:`~imvo.reporting.models.PublishedReport`, so later data
changes never alter a published edition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from imvo.accounts import services as roles
from imvo.core import uploads
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.registry import ReportSection, SectionFormError, registry
from imvo.core.uploads import UploadPolicy
from imvo.covenants.models import Adherence, Agreement, Covenant, KpiMeasurement, Organisation
from imvo.covenants.services import kpi_progress
from imvo.reporting.charts import STATUS_COLOURS
from imvo.reporting.models import LearningAttachment, LearningItem, PublishedReport, SectionText

log = logging.getLogger(__name__)

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "IMVO Covenant Platform"

STATUS_ORDER = ["achieved", "on_track", "behind", "no_data"]


def status_label(status: str) -> str:
    return {
        "achieved": _("Achieved"),
        "on_track": _("On track"),
        "behind": _("Behind"),
        "no_data": _("No data yet"),
    }.get(status, status)


# --- the reporting year --------------------------------------------------------


def report_years(covenant: Covenant, today: date | None = None) -> list[int]:
    """Years a progress report can be made for: within the term, up to this year."""
    today = today or timezone.localdate()
    if not covenant.start_date:
        return []
    last = min(covenant.end_date.year if covenant.end_date else today.year, today.year)
    return list(range(covenant.start_date.year, last + 1))


def check_year(covenant: Covenant, year: int, today: date | None = None) -> None:
    """Raise a DomainError saying why a report for ``year`` cannot be made."""
    today = today or timezone.localdate()
    if not covenant.start_date:
        raise DomainError(
            _("%(covenant)s has no start date yet, so it has no reporting years.")
            % {"covenant": covenant.name}
        )
    end_year = covenant.end_date.year if covenant.end_date else None
    if year < covenant.start_date.year or (end_year is not None and year > end_year):
        raise DomainError(
            _(
                "%(year)s is outside the term of %(covenant)s (%(start)s to %(end)s); "
                "choose a year from %(first)s to %(last)s."
            )
            % {
                "year": year,
                "covenant": covenant.name,
                "start": covenant.start_date.isoformat(),
                "end": covenant.end_date.isoformat() if covenant.end_date else "…",
                "first": covenant.start_date.year,
                "last": end_year or today.year,
            }
        )
    if year > today.year:
        raise DomainError(
            _("%(year)s has not begun yet; a progress report covers a year that has started.")
            % {"year": year}
        )


def as_of(year: int, today: date | None = None) -> date:
    """The report's reference date: the end of the year, or today for the running year."""
    today = today or timezone.localdate()
    return min(date(year, 12, 31), today)


# --- sections --------------------------------------------------------------------


def _section(key: str, title: str, text: str = "", **kw: Any) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "text": text,
        "figures": kw.get("figures", []),
        "tables": kw.get("tables", []),
        "charts": kw.get("charts", []),
        "sources": kw.get("sources", []),
        "app": kw.get("app", "reporting"),
    }


def members_section(covenant: Covenant, year: int, today: date | None = None) -> dict[str, Any]:
    """Who takes part at the end of the year: parties and stakeholders by type."""
    end = as_of(year, today)
    start = date(year, 1, 1)
    adherences = list(
        Adherence.objects.filter(covenant=covenant, since__lte=end).select_related("organisation")
    )

    def active_at_end(a: Adherence) -> bool:
        if a.until and a.until < end:
            return False
        # Withdrawn without a date, or suspended: not counted as an active member.
        return not (a.until is None and a.status != Adherence.Status.ACTIVE)

    active = [a for a in adherences if active_at_end(a)]
    joined = [a for a in adherences if a.since >= start]
    left = [a for a in adherences if a.until and start <= a.until <= end]
    by_type: dict[str, list[int]] = {}
    labels = dict(Organisation.Type.choices)
    for a in active:
        counts = by_type.setdefault(a.organisation.type, [0, 0])
        counts[0 if a.role == Adherence.Role.PARTY else 1] += 1
    order = [t for t, _label in Organisation.Type.choices if t in by_type]
    companies = sum(
        1
        for a in active
        if a.organisation.type == Organisation.Type.COMPANY and a.role == Adherence.Role.PARTY
    )
    return _section(
        "members",
        _("Parties and members"),
        _(
            "Organisations taking part in the covenant on %(date)s, as party (signatory) "
            "or stakeholder (involved through dialogue)."
        )
        % {"date": end.isoformat()},
        figures=[
            {"label": _("Member companies"), "value": companies, "unit": ""},
            {
                "label": _("Parties"),
                "value": sum(1 for a in active if a.role == Adherence.Role.PARTY),
                "unit": "",
            },
            {
                "label": _("Stakeholders"),
                "value": sum(1 for a in active if a.role == Adherence.Role.STAKEHOLDER),
                "unit": "",
            },
            {"label": _("Joined in %(year)s") % {"year": year}, "value": len(joined), "unit": ""},
            {"label": _("Left in %(year)s") % {"year": year}, "value": len(left), "unit": ""},
        ],
        tables=[
            {
                "caption": _("Organisations by type"),
                "header": [_("Type"), _("Parties"), _("Stakeholders")],
                "rows": [[str(labels[t]), *by_type[t]] for t in order],
            }
        ],
        sources=[_("Covenant membership register on the platform")],
    )


def _agreements_as_of(covenant: Covenant, end: date) -> list[Agreement]:
    return list(
        covenant.agreements.prefetch_related(
            "themes",
            Prefetch(
                "measurements",
                queryset=KpiMeasurement.objects.filter(date__lte=end).order_by("date", "id"),
            ),
        )
    )


def _progress_percent(agreement: Agreement, value: Decimal) -> float:
    distance = agreement.target - agreement.baseline
    if distance == 0:
        return 100.0
    return round(float((value - agreement.baseline) / distance) * 100, 1)


def agreements_section(covenant: Covenant, year: int, today: date | None = None) -> dict[str, Any]:
    """The covenant's agreements and their KPIs against target at the end of the year."""
    end = as_of(year, today)
    agreements = _agreements_as_of(covenant, end)
    rows = []
    counts = dict.fromkeys(STATUS_ORDER, 0)
    bar_labels, progress, expected = [], [], []
    sources: set[str] = set()
    for a in agreements:
        p = kpi_progress(a, today=end)
        counts[p.status] += 1
        rows.append(
            [
                a.number,
                a.title,
                f"{a.kpi_name} ({a.kpi_unit})",
                float(a.baseline),
                None if p.latest is None else float(p.latest),
                float(a.target),
                a.deadline.isoformat(),
                p.percent,
                p.expected_percent,
                status_label(p.status),
            ]
        )
        bar_labels.append(f"{a.number}. {a.title}".strip(". "))
        progress.append(p.percent if p.percent is not None else 0)
        expected.append(p.expected_percent)
        sources.update(m.source for m in a.measurements.all())
    # Progress over the years: each KPI's share of the way to target at each year end.
    years = list(range(covenant.start_date.year, year + 1)) if covenant.start_date else [year]
    lines = []
    for a in agreements:
        values: list[float | None] = []
        measurements = list(a.measurements.all())
        for y in years:
            upto = [m for m in measurements if m.date <= date(y, 12, 31)]
            if upto:
                values.append(_progress_percent(a, upto[-1].value))
            elif a.baseline_date <= date(y, 12, 31):
                values.append(0.0)
            else:
                values.append(None)
        lines.append({"name": f"{a.number}. {a.kpi_name}", "values": values})
    charts: list[dict[str, Any]] = []
    if agreements:
        charts.append(
            {
                "type": "bar",
                "title": _("Progress to target on %(date)s (%%)") % {"date": end.isoformat()},
                "labels": bar_labels,
                "series": [
                    {"name": _("Progress to target"), "values": progress},
                    {"name": _("Expected by now (linear path)"), "values": expected},
                ],
            }
        )
        if len(years) > 1:
            charts.append(
                {
                    "type": "line",
                    "title": _("Progress to target at the end of each year (%)"),
                    "labels": [str(y) for y in years],
                    "series": lines,
                }
            )
    figures = [
        {"label": _("Agreements"), "value": len(agreements), "unit": ""},
        *(
            {"label": status_label(s), "value": counts[s], "unit": _("agreements")}
            for s in STATUS_ORDER
        ),
    ]
    return _section(
        "agreements",
        _("Agreements and results"),
        _(
            "Each agreement has one output KPI with a baseline and a target. 'On track' "
            "means the share of the way to target covered is at least the share of the "
            "time elapsed (a linear path), within five percentage points."
        ),
        figures=figures,
        tables=[
            {
                "caption": _("Agreements: KPI against target on %(date)s") % {"date": end},
                "header": [
                    "#",
                    _("Agreement"),
                    _("KPI"),
                    _("Baseline"),
                    _("Latest"),
                    _("Target"),
                    _("Deadline"),
                    _("Progress %"),
                    _("Expected %"),
                    _("Status"),
                ],
                "rows": rows,
            }
        ],
        charts=charts,
        sources=sorted(sources) or [_("KPI measurements recorded by the secretariat")],
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def other_app_sections(covenant: Covenant, year: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Sections the other apps offer through the registry, in the order of the
    floors; (sections, errors)."""
    sections: list[dict[str, Any]] = []
    errors: list[str] = []
    for app, build in registry.report_sections.items():
        try:
            built = list(build(covenant, year))
            if not all(isinstance(s, ReportSection) for s in built):
                raise SectionFormError(app)
            sections.extend(s.as_dict(app) for s in built)
        except SectionFormError:
            errors.append(
                _("The %(app)s section is not in the agreed form (needs at least key and title).")
                % {"app": app}
            )
        except DomainError as e:
            errors.append(str(e))
        except Exception:
            # Another team's bug must not take the whole report down; it is logged
            # and shown to the secretariat, and blocks publication.
            log.exception("report_sections of %s failed for %s %s", app, covenant.slug, year)
            errors.append(
                _("The %(app)s section could not be built; the error is in the server log.")
                % {"app": app}
            )
    return sections, errors


# --- the whole report ---------------------------------------------------------------


def build_report(
    covenant: Covenant,
    year: int,
    today: date | None = None,
    progress: Callable[[str], object] | None = None,
) -> dict[str, Any]:
    """The yearly progress report as JSON-able data: the snapshot that is published."""
    check_year(covenant, year, today)
    step = progress or (lambda _label: None)
    step(_("membership"))
    sections = [members_section(covenant, year, today)]
    step(_("agreements and KPIs"))
    sections.append(agreements_section(covenant, year, today))
    step(_("other sections"))
    extra, errors = other_app_sections(covenant, year)
    sections.extend(extra)
    texts = dict(
        SectionText.objects.filter(covenant=covenant, year=year).values_list("section_key", "text")
    )
    for s in sections:
        s["secretariat_text"] = texts.get(s["key"], "")
    sources = sorted({src for s in sections for src in s["sources"]})
    report: dict[str, Any] = _jsonable(
        {
            "covenant": {
                "id": covenant.pk,
                "slug": covenant.slug,
                "name": covenant.name,
                "name_nl": covenant.name_nl,
                "name_en": covenant.name_en,
                "sector": covenant.get_sector_display(),
                "phase": covenant.get_phase_display(),
                "start_date": covenant.start_date,
                "end_date": covenant.end_date,
            },
            "year": year,
            "as_of": as_of(year, today),
            "generated_at": timezone.now(),
            "language": (get_language() or "en")[:2],
            "sections": sections,
            "sources": sources,
            "errors": errors,
            "licence": LICENCE,
        }
    )
    return report


def _decorate(data: dict[str, Any]) -> dict[str, Any]:
    """Add the rendered charts (SVG data URIs and their tables) for the templates."""
    from imvo.reporting.charts import chart_data_uri, chart_table

    view = dict(data)
    view["sections"] = []
    n = 0
    for s in data["sections"]:
        s = dict(s)
        charts = []
        for chart in s["charts"]:
            n += 1
            charts.append(
                {**chart, "n": n, "uri": chart_data_uri(chart), "table": chart_table(chart)}
            )
        s["rendered_charts"] = charts
        view["sections"].append(s)
    return view


def render_report_html(data: dict[str, Any], edition: PublishedReport | None = None) -> str:
    """The report body as HTML (without the site chrome), the same for web and PDF."""
    return render_to_string(
        "reporting/report_body.html", {"report": _decorate(data), "edition": edition}
    )


def render_report_pdf(
    data: dict[str, Any], edition: PublishedReport | None = None, body: str | None = None
) -> bytes:
    """The report as a PDF that reads like a publication: title page, contents, sections."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string(
        "reporting/report_pdf.html",
        {
            "report": data,
            "edition": edition,
            "body": body if body is not None else render_report_html(data, edition),
        },
    )
    from weasyprint.urls import URLFetcher

    css_path = finders.find("reporting/report.css")
    stylesheets = [CSS(filename=css_path)] if css_path else []
    # The report embeds its charts as data: URIs; nothing else is ever fetched, so
    # no text in a report can make the server read a file or call a URL.
    fetcher = URLFetcher(allowed_protocols=["data"])
    document = HTML(string=html, base_url=".", url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=stylesheets))


# --- the secretariat's work ----------------------------------------------------------


def require_secretariat(user: Any, covenant: Covenant) -> None:
    if not roles.is_secretariat(user, covenant):
        raise PermissionDeniedError(_("Only the covenant's secretariat can do this."))


@transaction.atomic
def save_section_text(user: Any, covenant: Covenant, year: int, key: str, text: str) -> SectionText:
    """The secretariat's own words for one section, kept until the report is published."""
    require_secretariat(user, covenant)
    check_year(covenant, year)
    if len(text) > 20000:
        raise DomainError(_("Keep a section's text under 20,000 characters."))
    obj, _created = SectionText.objects.update_or_create(
        covenant=covenant,
        year=year,
        section_key=key[:60],
        defaults={"text": text.strip(), "updated_by": user, "updated": timezone.now()},
    )
    return obj


def publish_report(
    user: Any,
    covenant: Covenant,
    year: int,
    today: date | None = None,
    progress: Callable[[str], object] | None = None,
    skip_failed_sections: bool = False,
) -> PublishedReport:
    """Freeze the report as a new version, in every fully translated language (nl, en).

    Each language gets its own stored snapshot, HTML and PDF; the secretariat's
    text is the same in all of them. Returns the edition in the active language.
    A report whose sections failed is refused, unless ``skip_failed_sections``
    (used by the demo only): then the failed sections are left out and the
    errors stay recorded in the snapshot.
    """
    from django.conf import settings
    from django.db import IntegrityError
    from django.utils import translation

    require_secretariat(user, covenant)
    languages = list(getattr(settings, "FULL_LANGUAGES", ["en"]))
    active = (get_language() or languages[0])[:2]
    # The active language first, so a refusal is worded in the reader's language.
    languages.sort(key=lambda lang: lang != active)
    version = (
        PublishedReport.objects.filter(covenant=covenant, year=year).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    now = timezone.now()
    editions = []
    # Rendering takes seconds: do it before the (short) write transaction.
    for lang in languages:
        with translation.override(lang):
            data = build_report(covenant, year, today, progress=progress)
            if data["errors"] and not skip_failed_sections:
                raise DomainError(
                    _("The report cannot be published while sections fail: %(errors)s")
                    % {"errors": " ".join(data["errors"])}
                )
            edition = PublishedReport(
                covenant=covenant,
                year=year,
                version=version,
                language=lang,
                snapshot=data,
                published_by=user if getattr(user, "is_authenticated", False) else None,
                published_at=now,
            )
            if progress:
                progress(_("HTML"))
            edition.html = render_report_html(data, edition)
            if progress:
                progress(_("PDF"))
            edition.pdf = render_report_pdf(data, edition, body=edition.html)
            editions.append(edition)
    try:
        with transaction.atomic():
            for edition in editions:
                edition.save()
    except IntegrityError:
        # The unique (covenant, year, version, language) caught a simultaneous publication.
        raise DomainError(
            _("Another edition was published at the same moment; reload the page and try again.")
        ) from None
    return next((e for e in editions if e.language == active), editions[0])


def published_reports(covenant: Covenant | None = None) -> QuerySet[PublishedReport]:
    """Published reports are public. Lists defer the large stored fields."""
    qs = PublishedReport.objects.select_related("covenant").defer("html", "pdf", "snapshot")
    if covenant is not None:
        qs = qs.filter(covenant=covenant)
    return qs


def _prefer_language(editions: list[PublishedReport]) -> PublishedReport | None:
    """Of one version's editions, the one in the active language, else English, else any."""
    lang = (get_language() or "en")[:2]
    for wanted in (lang, "en"):
        for e in editions:
            if e.language == wanted:
                return e
    return editions[0] if editions else None


def latest_edition(
    covenant: Covenant, year: int, version: int | None = None
) -> PublishedReport | None:
    """The newest (or the given) version of a year's report, in the reader's language."""
    qs = PublishedReport.objects.filter(covenant=covenant, year=year)
    if version is None:
        version = qs.aggregate(v=Max("version"))["v"]
    if version is None:
        return None
    return _prefer_language(list(qs.filter(version=version).select_related("covenant")))


def versions_of(covenant: Covenant, year: int) -> list[int]:
    return sorted(
        set(
            PublishedReport.objects.filter(covenant=covenant, year=year).values_list(
                "version", flat=True
            )
        ),
        reverse=True,
    )


def latest_editions() -> list[PublishedReport]:
    """The newest version of every published (covenant, year), in the reader's language."""
    groups: dict[tuple[int, int], list[PublishedReport]] = {}
    for r in published_reports().order_by("covenant__name_en", "-year", "-version"):
        group = groups.setdefault((r.covenant_id, r.year), [])
        if not group or group[0].version == r.version:
            group.append(r)
    return [e for e in (_prefer_language(g) for g in groups.values()) if e is not None]


# --- dashboards ------------------------------------------------------------------------


def covenant_dashboard(covenant: Covenant, today: date | None = None) -> dict[str, Any]:
    """Public charts for one covenant: KPI progress now, and the other apps' charts."""
    today = today or timezone.localdate()
    years = report_years(covenant, today)
    sections: list[dict[str, Any]] = []
    errors: list[str] = []
    if years:
        year = years[-1]
        sections.append(members_section(covenant, year, today))
        sections.append(agreements_section(covenant, year, today))
        extra, errors = other_app_sections(covenant, year)
        sections.extend(extra)
    return _decorate({"sections": sections, "errors": errors, "year": years[-1] if years else None})


def overview_dashboard(today: date | None = None) -> dict[str, Any]:
    """Across covenants: KPI status per covenant, and the covenants as a table."""
    today = today or timezone.localdate()
    from imvo.covenants.services import public_covenant_list

    # The same party count the public covenant list shows.
    covenants = list(public_covenant_list().order_by("name_en"))
    agreements = Agreement.objects.prefetch_related(
        Prefetch("measurements", queryset=KpiMeasurement.objects.filter(date__lte=today))
    )
    status_by_cov: dict[int, dict[str, int]] = {}
    for a in agreements:
        counts = status_by_cov.setdefault(a.covenant_id, dict.fromkeys(STATUS_ORDER, 0))
        counts[kpi_progress(a, today=today).status] += 1
    with_agreements = [c for c in covenants if c.pk in status_by_cov]
    rows = [
        [
            c.name,
            c.get_phase_display(),
            c.party_count,  # type: ignore[attr-defined]  # annotated by public_covenant_list
            *(status_by_cov.get(c.pk, {}).get(s, 0) for s in STATUS_ORDER),
        ]
        for c in covenants
    ]
    chart = {
        "type": "bar",
        "title": _("Agreements by KPI status, per covenant"),
        "stacked": True,
        "labels": [c.name for c in with_agreements],
        "series": [
            {
                "name": status_label(s),
                "values": [status_by_cov[c.pk][s] for c in with_agreements],
                "color": STATUS_COLOURS[s],
            }
            for s in STATUS_ORDER
        ],
    }
    section = _section(
        "overview",
        _("All covenants"),
        figures=[
            {"label": _("Covenants"), "value": len(covenants), "unit": ""},
            {"label": _("Agreements with a KPI"), "value": agreements.count(), "unit": ""},
            {
                "label": _("Agreements on track or achieved"),
                "value": sum(v["on_track"] + v["achieved"] for v in status_by_cov.values()),
                "unit": "",
            },
        ],
        tables=[
            {
                "caption": _("Covenants and the KPI status of their agreements"),
                "header": [
                    _("Covenant"),
                    _("Phase"),
                    _("Parties"),
                    *map(status_label, STATUS_ORDER),
                ],
                "rows": rows,
            }
        ],
        charts=[chart] if with_agreements else [],
        sources=[_("KPI measurements recorded by the covenant secretariats")],
    )
    return _decorate({"sections": [section], "errors": [], "covenants": covenants})


# --- learning library ---------------------------------------------------------------------

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MAX_ATTACHMENTS = 3
# What the library takes: documents and photos, judged by their content (core.uploads).
ATTACHMENT_POLICY = UploadPolicy(types=uploads.DOCUMENTS, max_bytes=MAX_ATTACHMENT_BYTES)


def learning_items_visible_to(user: Any) -> QuerySet[LearningItem]:
    """The library is public: everyone reads every published item."""
    return LearningItem.objects.select_related("covenant", "theme", "organisation")


def search_learning(
    query: str = "",
    covenant: Covenant | None = None,
    theme_code: str = "",
    sector: str = "",
    kind: str = "",
) -> QuerySet[LearningItem]:
    """Search the library across covenants; every word must occur (title, summary, text, theme).

    Plain case-insensitive containment so it behaves the same on SQLite and PostgreSQL.
    """
    qs = learning_items_visible_to(None)
    for word in query.split()[:10]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(text__icontains=word)
            | Q(theme__name_en__icontains=word)
            | Q(theme__name_nl__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    if covenant is not None:
        qs = qs.filter(covenant=covenant)
    if theme_code:
        qs = qs.filter(Q(theme__code=theme_code) | Q(theme__parent__code=theme_code))
    if sector:
        qs = qs.filter(Q(sector=sector) | Q(covenant__sector=sector))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def covenants_user_may_share_in(user: Any) -> QuerySet[Covenant]:
    """Parties and stakeholders share in the covenants they actively take part in;
    the secretariat in the covenants it runs."""
    if roles.is_platform_admin(user):
        return Covenant.objects.all()
    oid = roles.organisation_id(user)
    q = Q(pk__in=roles.managed_covenant_ids(user))
    if oid:
        q |= Q(
            adherences__organisation_id=oid,
            adherences__status=Adherence.Status.ACTIVE,
        )
    return Covenant.objects.filter(q).distinct()


@dataclass
class Upload:
    """A file as received: its name and bytes (views wrap Django's UploadedFile)."""

    name: str
    data: bytes = field(repr=False)


def check_attachment(upload: Upload) -> tuple[str, str]:
    """Refuse files of the wrong type or size; return (safe name, content type)."""
    checked = ATTACHMENT_POLICY.check(upload.name, upload.data)
    return checked.name, checked.content_type


@transaction.atomic
def publish_learning_item(
    user: Any,
    covenant: Covenant,
    title: str,
    text: str,
    kind: str = LearningItem.Kind.GOOD_PRACTICE,
    theme: Any = None,
    summary: str = "",
    attachments: list[Upload] | None = None,
) -> LearningItem:
    """A party, stakeholder or the secretariat publishes a good practice or lesson."""
    from django.core.files.base import ContentFile

    if not covenants_user_may_share_in(user).filter(pk=covenant.pk).exists():
        raise PermissionDeniedError(
            _("Only parties, stakeholders and the secretariat of a covenant can publish in it.")
        )
    if not title.strip() or not text.strip():
        raise DomainError(_("Give the item a title and a text."))
    if theme is not None and theme.covenant_id not in (None, covenant.pk):
        raise DomainError(_("A theme of another covenant cannot be chosen."))
    attachments = attachments or []
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS})
    checked = [(u, *check_attachment(u)) for u in attachments]
    item = LearningItem.objects.create(
        covenant=covenant,
        title=title.strip()[:200],
        text=text.strip(),
        summary=summary.strip()[:300],
        kind=kind,
        theme=theme,
        sector=covenant.sector,
        organisation_id=roles.organisation_id(user),
        author=user,
    )
    for upload, name, content_type in checked:
        att = LearningAttachment(
            item=item, name=name, content_type=content_type, size=len(upload.data)
        )
        att.file.save(name, ContentFile(upload.data), save=False)
        att.save()
    return item


# --- open data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class OpenTable:
    """One public table: its columns (the data dictionary) and how to get its rows."""

    name: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], list[list[Any]]]
    source: str = ATTRIBUTION

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    def meta(self) -> dict[str, Any]:
        return {
            "table": self.name,
            "title": self.title,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "attribution": self.source,
            "generated": timezone.now().isoformat(timespec="seconds"),
            "columns": {c.name: f"{c.type}: {c.description}" for c in self.columns},
        }


def _covenant_rows() -> list[list[Any]]:
    from imvo.covenants.services import public_covenant_list

    return [
        [
            c.slug,
            c.name_en,
            c.name_nl,
            c.sector,
            c.phase,
            c.start_date.isoformat() if c.start_date else None,
            c.end_date.isoformat() if c.end_date else None,
            getattr(c, "party_count", None),
            getattr(c, "stakeholder_count", None),
            c.website,
        ]
        for c in public_covenant_list().order_by("slug")
    ]


def _agreement_rows() -> list[list[Any]]:
    today = timezone.localdate()
    rows = []
    qs = Agreement.objects.select_related("covenant").prefetch_related("measurements")
    for a in qs.order_by("covenant__slug", "number", "id"):
        p = kpi_progress(a, today=today)
        rows.append(
            [
                a.covenant.slug,
                a.number,
                a.title_en,
                a.title_nl,
                a.kpi_name_en,
                a.kpi_unit,
                float(a.baseline),
                a.baseline_date.isoformat(),
                float(a.target),
                a.deadline.isoformat(),
                None if p.latest is None else float(p.latest),
                p.latest_date.isoformat() if p.latest_date else None,
                p.percent,
                p.status,
            ]
        )
    return rows


def _measurement_rows() -> list[list[Any]]:
    qs = KpiMeasurement.objects.select_related("agreement__covenant").order_by(
        "agreement__covenant__slug", "agreement__number", "date", "id"
    )
    return [
        [
            m.agreement.covenant.slug,
            m.agreement.number,
            m.date.isoformat(),
            float(m.value),
            m.agreement.kpi_unit,
            m.source,
        ]
        for m in qs
    ]


def _report_rows() -> list[list[Any]]:
    return [
        [
            r.covenant.slug,
            r.year,
            r.version,
            r.published_at.isoformat(timespec="seconds"),
            r.language,
            r.get_absolute_url(),
        ]
        for r in latest_editions()
    ]


def _figure_rows() -> list[list[Any]]:
    rows = []
    for edition in latest_editions():
        snapshot = PublishedReport.objects.values_list("snapshot", flat=True).get(pk=edition.pk)
        for s in snapshot.get("sections", []):
            for f in s.get("figures", []):
                rows.append(
                    [
                        edition.covenant.slug,
                        edition.year,
                        edition.version,
                        s.get("key"),
                        f.get("label"),
                        f.get("value"),
                        f.get("unit"),
                        "; ".join(s.get("sources") or []),
                    ]
                )
    return rows


def _learning_rows() -> list[list[Any]]:
    return [
        [
            i.pk,
            i.covenant.slug,
            i.kind,
            i.title,
            i.theme.code if i.theme else None,
            i.sector,
            i.organisation.name if i.organisation else None,
            i.published_at.date().isoformat(),
            i.summary,
        ]
        for i in learning_items_visible_to(None).order_by("id")
    ]


def open_tables() -> list[OpenTable]:
    """Every public table of the reporting app, with its data dictionary."""
    slug = Column("covenant", "text", _("covenant identifier (slug)"))
    return [
        OpenTable(
            "covenants",
            _("Covenants"),
            _("Every IMVO covenant on the platform with its phase, term and membership."),
            [
                Column("slug", "text", _("covenant identifier")),
                Column("name_en", "text", _("name in English")),
                Column("name_nl", "text", _("name in Dutch")),
                Column("sector", "text", _("sector code")),
                Column("phase", "text", _("exploration, dialogue, implementation, evaluation")),
                Column("start_date", "date", _("start of the term (ISO 8601)")),
                Column("end_date", "date", _("end of the term (ISO 8601)")),
                Column("parties", "integer", _("active parties (signatories)")),
                Column("stakeholders", "integer", _("active stakeholders")),
                Column("website", "text", _("covenant website")),
            ],
            _covenant_rows,
        ),
        OpenTable(
            "agreements",
            _("Agreements and KPIs"),
            _("Each agreement's output KPI against its target, today."),
            [
                slug,
                Column("number", "text", _("agreement number in the covenant")),
                Column("title_en", "text", _("agreement title in English")),
                Column("title_nl", "text", _("agreement title in Dutch")),
                Column("kpi", "text", _("the KPI measured")),
                Column("unit", "text", _("unit of the KPI")),
                Column("baseline", "number", _("value at the baseline date")),
                Column("baseline_date", "date", _("date of the baseline")),
                Column("target", "number", _("value to reach by the deadline")),
                Column("deadline", "date", _("deadline")),
                Column("latest", "number", _("latest measured value (empty: none yet)")),
                Column("latest_date", "date", _("date of the latest measurement")),
                Column("progress_percent", "integer", _("share of the way to target, %")),
                Column("status", "text", _("achieved, on_track, behind or no_data")),
            ],
            _agreement_rows,
        ),
        OpenTable(
            "kpi-measurements",
            _("KPI measurements"),
            _("Every measurement of every agreement's KPI, with its source."),
            [
                slug,
                Column("agreement", "text", _("agreement number")),
                Column("date", "date", _("date the value refers to")),
                Column("value", "number", _("measured value")),
                Column("unit", "text", _("unit of the KPI")),
                Column("source", "text", _("where the figure comes from")),
            ],
            _measurement_rows,
        ),
        OpenTable(
            "reports",
            _("Published progress reports"),
            _("The latest edition of every published yearly progress report."),
            [
                slug,
                Column("year", "integer", _("reporting year")),
                Column("version", "integer", _("edition (corrections raise it)")),
                Column("published_at", "datetime", _("when it was published")),
                Column("language", "text", _("language of the edition")),
                Column("url", "text", _("address of the report on the platform")),
            ],
            _report_rows,
        ),
        OpenTable(
            "report-figures",
            _("Figures in published reports"),
            _(
                "Every key figure of the latest edition of each published report, with "
                "the sources it rests on (keep their attribution when reusing)."
            ),
            [
                slug,
                Column("year", "integer", _("reporting year")),
                Column("version", "integer", _("edition")),
                Column("section", "text", _("report section key")),
                Column("label", "text", _("what the figure counts")),
                Column("value", "number", _("the figure")),
                Column("unit", "text", _("unit")),
                Column("sources", "text", _("sources of the section")),
            ],
            _figure_rows,
            source=_("IMVO Covenant Platform; the sources named per row"),
        ),
        OpenTable(
            "learning-library",
            _("Learning library"),
            _("Good practices and lessons that parties published."),
            [
                Column("id", "integer", _("item number")),
                slug,
                Column("kind", "text", _("good_practice or lesson")),
                Column("title", "text", _("title")),
                Column("theme", "text", _("theme code (OECD chapter or covenant theme)")),
                Column("sector", "text", _("sector code")),
                Column("organisation", "text", _("organisation that published it")),
                Column("published", "date", _("publication date")),
                Column("summary", "text", _("short summary")),
            ],
            _learning_rows,
        ),
    ]


def open_table(name: str) -> OpenTable:
    for t in open_tables():
        if t.name == name:
            return t
    raise DomainError(_("There is no open data table called %(name)s.") % {"name": name})


def render_sections_html(view: dict[str, Any]) -> str:
    """Sections (already decorated with charts) as HTML, for the dashboards."""
    return render_to_string("reporting/_sections.html", {"sections": view["sections"]})


def latest_editions_of(covenant: Covenant) -> list[PublishedReport]:
    return [r for r in latest_editions() if r.covenant_id == covenant.pk]
