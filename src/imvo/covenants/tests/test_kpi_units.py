"""An agreement's KPI unit comes from one list, shown in the reader's language;
a count is whole (it was free text: "facilities" on the Dutch page, 55.80 of them)."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest

from imvo.core.errors import DomainError
from imvo.covenants.forms import AgreementForm
from imvo.covenants.models import KpiUnit
from imvo.covenants.services import record_measurement
from imvo.testing import client_for, make_agreement, make_party

pytestmark = pytest.mark.django_db


def test_the_unit_is_read_in_the_readers_language(world) -> None:
    a = make_agreement(world.covenant_x, kpi_unit=KpiUnit.COUNTRIES, target=Decimal(6))
    record_measurement(world.secretariat_x, a, date(2025, 3, 31), Decimal(3), "BZ")
    union = make_party(world.covenant_x, "FNV", "union")
    from imvo.accounts.testing import make_user

    user = make_user("fnv", union)
    dutch = client_for(user).get("/parties/covenant-x/kpis/").content.decode()
    assert "3 landen" in dutch and "countries" not in dutch
    assert "3 countries" in client_for(user, "en").get("/parties/covenant-x/kpis/").content.decode()
    # A percentage stays "%", a plain number shows no unit.
    assert KpiUnit.shown("%") == "%" and KpiUnit.shown("number") == ""
    # A unit written before the list is shown as written.
    assert KpiUnit.shown("hectares") == "hectares"


def test_a_count_takes_whole_numbers_a_percentage_decimals(world) -> None:
    count = make_agreement(world.covenant_x, kpi_unit=KpiUnit.FACILITIES, target=Decimal(120))
    with pytest.raises(DomainError, match="whole number"):
        record_measurement(world.secretariat_x, count, date(2025, 3, 31), Decimal("55.8"), "x")
    record_measurement(world.secretariat_x, count, date(2025, 3, 31), Decimal(56), "x")
    share = make_agreement(world.covenant_x, kpi_unit=KpiUnit.PERCENT)
    record_measurement(world.secretariat_x, share, date(2025, 3, 31), Decimal("65.2"), "x")
    form = AgreementForm(
        {"number": "9", "title_nl": "t", "title_en": "t", "kpi_name_nl": "k",
         "kpi_name_en": "k", "kpi_unit": "workers", "baseline": "0.5", "target": "40",
         "baseline_date": "2025-01-01", "deadline": "2028-01-01"},
        covenant=world.covenant_x,
    )  # fmt: skip
    assert not form.is_valid() and "baseline" in form.errors
    form = AgreementForm({**form.data, "kpi_unit": "free text"}, covenant=world.covenant_x)
    assert "kpi_unit" in form.errors  # only units from the list


def test_free_text_units_written_before_are_moved_to_the_list() -> None:
    migration = importlib.import_module("imvo.covenants.migrations.0003_kpi_unit_choices")
    assert set(migration.SYNONYMS.values()) <= set(KpiUnit.values)
    assert migration.SYNONYMS["productielocaties"] == KpiUnit.FACILITIES
    assert migration.SYNONYMS["percent"] == KpiUnit.PERCENT
