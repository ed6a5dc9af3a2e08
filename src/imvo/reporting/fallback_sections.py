"""Report sections this app builds itself when an app offers its services but no
``report.py`` of its own: the production-location figures (supply chain) and the
themes members prioritised (risk).

They use only the agreed service functions, imported lazily:
``imvo.supplychain.services.supply_chain_for`` and
``imvo.risk.services.register_entries``. When the app provides
``report_sections`` itself, that takes precedence and these are not used.

Public aggregates only: no company is named; a country x theme cell that rests on
fewer than ``MIN_COMPANIES`` companies is suppressed, so no single member's
choices can be read from the heatmap.
"""

from __future__ import annotations

import importlib
from collections import Counter, defaultdict
from typing import Any

from django.utils.translation import gettext as _

from imvo.covenants.models import Adherence, Covenant, Organisation

MIN_COMPANIES = 2


def _service(module: str, name: str) -> Any:
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name != module:
            raise
        return None
    return getattr(mod, name, None)


def member_companies(covenant: Covenant) -> list[Organisation]:
    return [
        a.organisation
        for a in Adherence.objects.filter(
            covenant=covenant,
            role=Adherence.Role.PARTY,
            status=Adherence.Status.ACTIVE,
            organisation__type=Organisation.Type.COMPANY,
        ).select_related("organisation")
    ]


def country_name(code: str | None) -> str:
    if not code:
        return _("Unknown")
    import pycountry

    c = pycountry.countries.get(alpha_2=code.upper())
    return c.name if c else code


def supply_chain_section(covenant: Covenant, year: int) -> dict | None:
    """Production locations of the members' supplier lists: countries, shared facilities."""
    supply_chain_for = _service("imvo.supplychain.services", "supply_chain_for")
    if supply_chain_for is None:
        return None
    members_by_facility: dict[int, set[int]] = defaultdict(set)
    facility_country: dict[int, str] = {}
    facility_workers: dict[int, int] = {}
    unmatched_by_country: Counter[str] = Counter()
    submitted = 0
    for org in member_companies(covenant):
        rows = list(supply_chain_for(org, covenant=covenant, year=year) or [])
        submitted += bool(rows)
        for row in rows:
            country = (row.get("country") or "").upper()
            fid = row.get("facility_id")
            if fid is None:
                # Not (yet) matched to a known facility: counted as its own location.
                unmatched_by_country[country] += 1
                continue
            members_by_facility[fid].add(org.pk)
            facility_country.setdefault(fid, country)
            if row.get("workers") is not None:
                facility_workers[fid] = max(facility_workers.get(fid, 0), int(row["workers"]))
    locations_by_country: Counter[str] = Counter(facility_country.values())
    locations_by_country.update(unmatched_by_country)
    unmatched = sum(unmatched_by_country.values())
    workers = sum(facility_workers.values())
    shared = sum(1 for members in members_by_facility.values() if len(members) > 1)
    top = locations_by_country.most_common(10)
    return {
        "key": "production-locations",
        "title": _("Production locations"),
        "text": _(
            "Production locations on the supplier lists that member companies submitted "
            "for %(year)s. A location shared by several members is counted once."
        )
        % {"year": year},
        "figures": [
            {"label": _("Members that submitted a list"), "value": submitted, "unit": ""},
            {
                "label": _("Production locations"),
                "value": len(members_by_facility) + unmatched,
                "unit": "",
            },
            {
                "label": _("Countries"),
                "value": len([c for c in locations_by_country if c]),
                "unit": "",
            },
            {"label": _("Locations shared by several members"), "value": shared, "unit": ""},
            {"label": _("Workers at matched locations"), "value": workers, "unit": ""},
        ],
        "tables": [
            {
                "caption": _("Production locations by country (top 10)"),
                "header": [_("Country"), _("Locations")],
                "rows": [[country_name(c), n] for c, n in top],
            }
        ],
        "charts": [
            {
                "type": "bar",
                "title": _("Production locations by country (top 10)"),
                "labels": [country_name(c) for c, _n in top],
                "series": [{"name": _("Locations"), "values": [n for _c, n in top]}],
            }
        ]
        if top
        else [],
        "sources": [_("Supplier lists submitted by member companies")],
    }


def risk_section(covenant: Covenant, year: int) -> dict | None:
    """Which themes the members prioritised in their risk registers, by country."""
    register_entries = _service("imvo.risk.services", "register_entries")
    if register_entries is None:
        return None
    companies = member_companies(covenant)
    companies_by_theme: dict[str, set[int]] = defaultdict(set)
    cells: dict[tuple[str, str], set[int]] = defaultdict(set)
    with_register = 0
    for org in companies:
        entries = list(register_entries(org, covenant=covenant) or [])
        if entries:
            with_register += 1
        for e in entries:
            theme = getattr(e, "theme", None)
            name = str(theme.name) if theme is not None else str(getattr(e, "theme_code", "") or "")
            if not name:
                continue
            companies_by_theme[name].add(org.pk)
            cells[((getattr(e, "country", "") or "").upper(), name)].add(org.pk)
    themes = sorted(companies_by_theme, key=lambda t: (-len(companies_by_theme[t]), t))
    countries = sorted(
        {c for c, _t in cells},
        key=lambda c: -sum(len(v) for (cc, _t), v in cells.items() if cc == c),
    )[:12]
    values: list[list[int | None]] = []
    for c in countries:
        row: list[int | None] = []
        for t in themes:
            n = len(cells.get((c, t), set()))
            row.append(n if n >= MIN_COMPANIES else None)
        values.append(row)
    charts: list[dict] = []
    if themes:
        charts.append(
            {
                "type": "bar",
                "title": _("Member companies that prioritise each theme"),
                "labels": themes,
                "series": [
                    {"name": _("Companies"), "values": [len(companies_by_theme[t]) for t in themes]}
                ],
            }
        )
    if countries and themes:
        charts.append(
            {
                "type": "heatmap",
                "title": _("Companies with a prioritised risk, by country and theme"),
                "rows": [country_name(c) for c in countries],
                "cols": themes,
                "values": values,
            }
        )
    return {
        "key": "prioritised-risks",
        "title": _("Risks prioritised by members"),
        "text": _(
            "Themes in the members' risk registers, prioritised by severity and likelihood. "
            "Cells based on fewer than %(n)d companies are left empty."
        )
        % {"n": MIN_COMPANIES},
        "figures": [
            {"label": _("Members with a risk register"), "value": with_register, "unit": ""},
            {"label": _("Themes prioritised"), "value": len(themes), "unit": ""},
        ],
        "tables": [
            {
                "caption": _("Themes prioritised by member companies"),
                "header": [_("Theme"), _("Companies")],
                "rows": [[t, len(companies_by_theme[t])] for t in themes],
            }
        ],
        "charts": charts,
        "sources": [_("Risk registers of member companies")],
    }


FALLBACKS = {"supplychain": supply_chain_section, "risk": risk_section}
