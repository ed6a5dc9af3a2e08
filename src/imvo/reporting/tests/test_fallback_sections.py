"""Sections built from the supply-chain and risk services when those apps have no report.py.

The other apps' services are stood in for by small modules with the agreed
signatures, so these tests check this app's aggregation only.
"""

from __future__ import annotations

import sys
import types
from types import SimpleNamespace

import pytest

from imvo.core.testing import adhere, make_org
from imvo.reporting.fallback_sections import risk_section, supply_chain_section
from imvo.reporting.tests.helpers import reporting_covenant

pytestmark = pytest.mark.django_db


def install(monkeypatch, name: str, **functions) -> None:
    module = types.ModuleType(name)
    for key, fn in functions.items():
        setattr(module, key, fn)
    monkeypatch.setitem(sys.modules, name, module)


def figure(sec: dict, label: str) -> object:
    return next(f["value"] for f in sec["figures"] if f["label"] == label)


@pytest.fixture
def members():
    c, *_ = reporting_covenant()
    a, b, d = make_org("A"), make_org("B"), make_org("D")
    for org in (a, b, d):
        adhere(c, org)
    adhere(c, make_org("Union", type="union"))
    return c, a, b, d


def test_production_locations_count_shared_facilities_once(monkeypatch, members):
    c, a, b, d = members

    def row(fid, country, workers=None):
        return {"facility_id": fid, "country": country, "workers": workers, "name": "x"}

    lists = {
        a.pk: [row(1, "BD", 500), row(2, "BD", 200), row(None, "IN")],
        b.pk: [row(1, "BD", 500), row(3, "TR", 50)],
        d.pk: [],
    }
    install(
        monkeypatch,
        "imvo.supplychain.services",
        supply_chain_for=lambda org, covenant=None, year=None: lists[org.pk],
    )
    sec = supply_chain_section(c, 2025)
    assert figure(sec, "Members that submitted a list") == 2
    assert figure(sec, "Production locations") == 4  # 1, 2, 3 and the unmatched one
    assert figure(sec, "Locations shared by several members") == 1
    assert figure(sec, "Countries") == 3
    assert figure(sec, "Workers at matched locations") == 750
    assert sec["tables"][0]["rows"][0] == ["Bangladesh", 2]


def test_prioritised_risks_suppress_small_cells(monkeypatch, members):
    c, a, b, d = members
    theme = SimpleNamespace(name="Child labour")

    def entry(country, t=theme, code=""):
        return SimpleNamespace(theme=t, theme_code=code, country=country, priority=1)

    registers = {
        a.pk: [entry("BD"), entry("IN", None, "living-wage")],
        b.pk: [entry("BD")],
        d.pk: [entry("IN")],
    }
    install(
        monkeypatch,
        "imvo.risk.services",
        register_entries=lambda org, covenant=None: registers[org.pk],
    )
    sec = risk_section(c, 2025)
    assert figure(sec, "Members with a risk register") == 3
    assert sec["tables"][0]["rows"] == [["Child labour", 3], ["living-wage", 1]]
    heat = next(ch for ch in sec["charts"] if ch["type"] == "heatmap")
    bd = heat["rows"].index("Bangladesh")
    india = heat["rows"].index("India")
    assert heat["values"][bd][heat["cols"].index("Child labour")] == 2
    # One company alone in a cell could be recognised: the cell stays empty.
    assert heat["values"][india][heat["cols"].index("Child labour")] is None
    assert heat["values"][india][heat["cols"].index("living-wage")] is None


def test_without_the_services_there_is_no_section(monkeypatch, members):
    c, *_ = members
    monkeypatch.setitem(sys.modules, "imvo.risk.services", None)
    monkeypatch.setitem(sys.modules, "imvo.supplychain.services", None)
    # A None entry in sys.modules makes the import fail as if the app were absent.
    assert supply_chain_section(c, 2025) is None
    assert risk_section(c, 2025) is None
