"""The yearly report's sections of the covenants app: commitments by party type, obstacles."""

from __future__ import annotations

from datetime import date

import pytest

from imvo.accounts.testing import make_user
from imvo.covenants.models import KpiMeasurement
from imvo.covenants.report import report_sections
from imvo.covenants.services import parties
from imvo.testing import adhere, make_agreement, make_org

pytestmark = pytest.mark.django_db


def test_commitments_are_reported_by_party_type_and_obstacles_in_aggregate(world):
    x = world.covenant_x
    union = make_org("FNV", type="union")
    adhere(x, union)
    union_ag = make_agreement(x, title_en="Train representatives")
    union_ag.owners.add(union)
    company_ag = make_agreement(x, title_en="Audits")
    company_ag.owners.add(world.company_a)
    KpiMeasurement.objects.create(
        agreement=union_ag, date=date(2025, 6, 30), value=union_ag.target, source="FNV"
    )
    o = parties.check_raise_obstacle(make_user("fnv", union), x, "ET", "Access", "d", "a")
    commitments, obstacles = report_sections(x, o.raised.year)
    rows = {r[0]: r for r in commitments.tables[0].rows}
    assert rows["Trade union"][1] == 1  # achieved
    assert rows["Company"][-1] == 1
    assert commitments.tables[0].header[0] == "Party type"
    assert [f.value for f in obstacles.figures] == [1, 0, 1]
    assert list(obstacles.tables[0].rows) == [["ET", 1]]
    assert "FNV" not in str(obstacles.as_dict("covenants"))  # aggregates, no party named
