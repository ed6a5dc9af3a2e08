"""The demo data loads after the covenants demo and gives the pages something real to show."""

import pytest


@pytest.mark.slow  # loads every app's demo data
@pytest.mark.django_db
def test_demo_gives_company_a_register_and_garment_covenant_an_analysis():
    from imvo.core.demo import load_demo
    from imvo.covenants.models import Covenant
    from imvo.risk import services
    from imvo.risk.models import RegisterEntry
    from imvo.risk.report import report_sections

    load_demo(progress=lambda _m: None)
    entries = RegisterEntry.objects.filter(organisation__slug="noorderlicht-fashion-bv")
    assert entries.count() == 8
    overridden = entries.exclude(override_priority=None).get()
    assert overridden.priority == 95 and overridden.overrides.count() == 1
    garment = Covenant.objects.get(slug="garment-textile")
    a = services.covenant_analysis(garment)
    # Hand-entered sourcing plus the garment members' uploaded supplier lists.
    assert a["companies"] >= 5
    assert {c["country"] for c in a["countries"][:3]} & {"BD", "CN", "IN", "TR"}
    [section] = [s.as_dict("risk") for s in report_sections(garment, 2025)]
    assert any(c["type"] == "heatmap" for c in section["charts"])
