"""The yearly progress report as data: its years, its own sections (members,
agreements and KPIs), the sections the other apps offer through the registry
(``imvo.core.registry``, typed as ``ReportSection``), and the whole report.

Those sections carry public aggregates only. A section that fails to build is
reported as an error, and a report with errors cannot be published
(``publication``). Turning the data into HTML and PDF is ``reporting.render``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from imvo.core.errors import DomainError
from imvo.core.i18n import Localised, reader_language
from imvo.core.registry import ReportSection, SectionFormError, cell, registry
from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.covenants.seams import agreements_as_of, kpi_progress, progress_fraction
from imvo.reporting.models import SectionText

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
                "start": long_date(covenant.start_date),
                "end": long_date(covenant.end_date) if covenant.end_date else "…",
                "first": covenant.start_date.year,
                "last": end_year or today.year,
            }
        )
    if year > today.year:
        raise DomainError(
            _("%(year)s has not begun yet; a progress report covers a year that has started.")
            % {"year": year}
        )


def long_date(day: date) -> str:
    """A date in the report's (the active) language, day first: "31 december 2025"."""
    return date_format(day, "j F Y")


def as_of(year: int, today: date | None = None) -> date:
    """The report's reference date: the end of the year, or today for the running year."""
    today = today or timezone.localdate()
    return min(date(year, 12, 31), today)


# --- sections --------------------------------------------------------------------


def make_section(key: str, title: str, text: str = "", **kw: Any) -> dict[str, Any]:
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
    return make_section(
        "members",
        _("Parties and members"),
        _(
            "Organisations taking part in the covenant on %(date)s, as party (signatory) "
            "or stakeholder (involved through dialogue)."
        )
        % {"date": long_date(end)},
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


def agreements_section(covenant: Covenant, year: int, today: date | None = None) -> dict[str, Any]:
    """The covenant's agreements and their KPIs against target at the end of the year."""
    end = as_of(year, today)
    agreements = list(agreements_as_of(covenant, end, "themes"))
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
                f"{a.kpi_name} ({a.unit_label})" if a.unit_label else str(a.kpi_name),
                float(a.baseline),
                None if p.latest is None else float(p.latest),
                float(a.target),
                long_date(a.deadline),  # read by people: "30 juni 2028", not 2028-06-30
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
                values.append(round(progress_fraction(a, upto[-1].value) * 100, 1))
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
                "title": _("Progress to target on %(date)s (%%)") % {"date": long_date(end)},
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
    return make_section(
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
                "caption": _("Agreements: KPI against target on %(date)s")
                % {"date": long_date(end)},
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
    """The report as the snapshot stores it: every value a JSON cell (`cell`)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return cell(value)


def other_app_sections(
    covenant: Covenant, year: int, skip: frozenset[str] = frozenset()
) -> tuple[list[dict[str, Any]], list[str]]:
    """Sections the other apps (but those in `skip`) offer through the registry, in
    the order of the floors; (sections, errors)."""
    sections: list[dict[str, Any]] = []
    errors: list[str] = []
    for app, build in registry.report_sections.items():
        if app in skip:
            continue
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


# --- the secretariat's text ----------------------------------------------------------


def section_texts(covenant: Covenant, year: int) -> dict[str, SectionText]:
    """The secretariat's texts of a year's report by section key (both languages)."""
    return {t.section_key: t for t in SectionText.objects.filter(covenant=covenant, year=year)}


def secretariat_text_fields(text: SectionText | None) -> dict[str, Any]:
    """A section's secretariat text in the report's (the active) language, as the
    snapshot stores it: the text, the language it is in, and whether that is a
    fallback because the report's language is missing (the report marks it)."""
    picked = text.text if text is not None else Localised("", reader_language())
    return {
        "secretariat_text": str(picked),
        "secretariat_text_lang": picked.lang,
        "secretariat_text_fallback": picked.fallback,
    }


# --- the whole report ---------------------------------------------------------------


def build_report(
    covenant: Covenant,
    year: int,
    today: date | None = None,
    progress: Callable[[str], object] | None = None,
    texts: dict[str, SectionText] | None = None,
) -> dict[str, Any]:
    """The yearly progress report as JSON-able data: the snapshot that is published
    (`texts`: the year's `section_texts`, when read already)."""
    check_year(covenant, year, today)
    step = progress or (lambda _label: None)
    step(_("membership"))
    sections = [members_section(covenant, year, today)]
    step(_("agreements and KPIs"))
    sections.append(agreements_section(covenant, year, today))
    step(_("other sections"))
    extra, errors = other_app_sections(covenant, year)
    sections.extend(extra)
    if texts is None:
        texts = section_texts(covenant, year)
    for s in sections:
        s.update(secretariat_text_fields(texts.get(s["key"])))
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
