"""The supply chain's seam gives other apps the same rows as its services, typed."""

from __future__ import annotations

from django.utils import timezone

from imvo.supplychain import seams, services
from imvo.supplychain.tests.helpers import csv_bytes, make_registry

YEAR = timezone.now().year - 1


def test_supplier_rows_are_the_processed_list_typed(world, db) -> None:
    make_registry()
    assert seams.supplier_rows(world.company_a) == []
    rows = [
        ["DHAKA KNIT COMPOSITE LIMITED", "Plot 12 Road 3 Gazipur Ind. Area", "Bangladesh"],
        ["Saigon Sewing JSC", "45 Tan Thuan Rd, Dist 7, HCMC", "Viet Nam"],
        ["Somewhere Ltd", "1 Main Street", "Atlantis"],  # invalid: not a row of the chain
    ]
    services.upload_list(world.member_a, world.covenant_x, YEAR, "l.csv", csv_bytes(rows))
    typed = seams.supplier_rows(world.company_a, covenant=world.covenant_x)
    assert [vars(r) for r in typed] == services.supply_chain_for(
        world.company_a, covenant=world.covenant_x
    )
    assert [(r.country, r.year) for r in typed] == [("BD", YEAR), ("VN", YEAR)]
    assert seams.supplier_rows(world.company_b) == []
