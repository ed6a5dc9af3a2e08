"""The joint-action section of a covenant's yearly report and public dashboard."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from imvo.collective.services.figures import CapFigures, Tally, cap_figures
from imvo.core.registry import Chart, Figure, ReportSection, Series, Table
from imvo.covenants.models import Covenant


def theme_label(code: str) -> str:
    from imvo.risk.reference import THEME_LABELS

    return str(THEME_LABELS.get(code, code))


def country_label(code: str) -> str:
    from imvo.core.countries import display_name as country_name

    return country_name(code) if code else _("Region")


def _public_rows(
    named: dict[str, Tally], label: Callable[[str], str], rest: Tally | None, rest_label: str
) -> list[tuple[str, Tally]]:
    """The groups with at least K joined members, by name; then the rest as one row."""
    rows = [(label(key), t) for key, t in sorted(named.items())]
    if rest is not None:
        rows.append((rest_label, rest))
    return rows


def country_rows(f: CapFigures) -> list[tuple[str, Tally]]:
    """The public rows by country: those with at least K joined members, then the rest."""
    rest_label = _("Other countries (fewer than %(k)s members each)") % {"k": f.k}
    return _public_rows(f.by_country, country_label, f.other_countries, rest_label)


def theme_rows(f: CapFigures) -> list[tuple[str, Tally]]:
    """The public rows by theme: those with at least K joined members, then the rest."""
    rest_label = _("Other themes (fewer than %(k)s members each)") % {"k": f.k}
    return _public_rows(f.by_theme, theme_label, f.other_themes, rest_label)


def report_sections(covenant: Covenant, year: int) -> list[ReportSection]:
    f = cap_figures(covenant, year)
    if not f.total.items:
        return []
    pct = f.total.percent
    countries = country_rows(f)
    rows_country = [[c, len(t.facilities), t.items, t.verified, t.percent] for c, t in countries]
    rows_theme = [[k, t.items, t.verified, t.percent] for k, t in theme_rows(f)]
    tables = [
        Table(
            _("Corrective action plans by country"),
            [_("Country"), _("Facilities under a CAP"), _("Items"), _("Fixed and verified"), "%"],
            rows_country,
        ),
        Table(
            _("Corrective action plan items by theme"),
            [_("Theme"), _("Items"), _("Fixed and verified"), "%"],
            rows_theme,
        ),
    ]
    if f.public:
        tables.append(
            Table(
                _("Facilities whose CAP status is public (the facility and its members agreed)"),
                [_("Facility"), _("Country"), _("Items"), _("Fixed and verified"), _("Status")],
                [[p.facility, p.country, p.items, p.verified, p.status] for p in f.public],
            )
        )
    return [
        ReportSection(
            key="joint-action",
            title=_("Joint action on shared facilities"),
            text=_(
                "Members that share a facility act together on a corrective action plan "
                "(CAP). An item counts as fixed only when a named verifier checked it. "
                "No member is named here."
            ),
            figures=[
                Figure(_("Facilities under a corrective action plan"), len(f.total.facilities)),
                Figure(_("CAP items"), f.total.items),
                Figure(_("CAP items fixed and verified"), f.total.verified),
                Figure(_("CAP items fixed and verified (%)"), pct, "%"),
            ],
            tables=tables,
            charts=[
                Chart(
                    "bar",
                    _("CAP items by country"),
                    labels=[c for c, _t in countries],
                    series=[
                        Series(_("Items"), [t.items for _c, t in countries]),
                        Series(_("Fixed and verified"), [t.verified for _c, t in countries]),
                    ],
                )
            ],
            sources=[_("Joint actions recorded by covenant members and the secretariat")],
        )
    ]
