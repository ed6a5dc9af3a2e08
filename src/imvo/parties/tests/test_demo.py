from __future__ import annotations

import pytest

"""The parties demo: FNV's signal reaches the members linked to a garment factory."""

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_parties_demo_loads_after_covenants_and_supply_chain():
    from imvo.covenants import demo as cdemo
    from imvo.parties import demo as pdemo
    from imvo.parties.models import Signal
    from imvo.supplychain import demo as sdemo

    cdemo.load()
    sdemo.load()
    pdemo.load()
    s = Signal.objects.get()
    assert s.forwardings.count() >= 2 and s.responses.count() == 1
