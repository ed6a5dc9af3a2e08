"""A KPI measurement sent through the API is held to the bounds the page's form
holds it to (docs/security.md, T62). A value past the column was stored by
SQLite and failed every later read: one call put the covenant's public page, its
API answer, dashboard and open data on 500; PostgreSQL answered the call with a
500 (numeric overflow, a source past its 300 characters)."""

from datetime import date

import pytest
from django.test import Client

from imvo.accounts.models import ApiToken
from imvo.testing import make_agreement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "source", "reason"),
    [
        ("1e30", "assessment", "too large: at most 12 digits"),
        ("-1000000000000", "assessment", "too large: at most 12 digits"),
        ("999999999999.995", "assessment", "too large: at most 12 digits"),  # rounds up past it
        ("5", "x" * 301, "too long: at most 300 characters"),
    ],
)
def test_a_measurement_past_the_columns_is_refused_and_the_pages_stay_up(
    world, value, source, reason
):
    agreement = make_agreement(world.covenant_x)
    _token, raw = ApiToken.issue(world.secretariat_x)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    r = api.post(
        f"/api/agreements/{agreement.pk}/measurements",
        {"date": "2026-01-01", "value": value, "source": source},
        content_type="application/json",
    )
    assert r.status_code == 400 and reason in r.json()["detail"], r.content
    assert agreement.measurements.count() == 0
    public = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert public.get(world.covenant_x.get_absolute_url()).status_code == 200
    assert public.get(f"/api/covenants/{world.covenant_x.slug}").status_code == 200
    assert public.get("/api/open-data/kpi-measurements").status_code == 200


def test_the_largest_value_the_column_holds_is_kept_and_read_back(world):
    agreement = make_agreement(world.covenant_x)
    _token, raw = ApiToken.issue(world.secretariat_x)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    r = api.post(
        f"/api/agreements/{agreement.pk}/measurements",
        {"date": "2026-01-01", "value": "999999999999.994", "source": "s" * 300},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert str(agreement.measurements.get().value) == "999999999999.99"
    assert Client().get(f"/api/covenants/{world.covenant_x.slug}").status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "2018-12-31"])
def test_a_measurement_dated_long_before_the_covenant_is_refused(world, day):
    """Year 1 was accepted and drew the KPI's chart from the year 1 on. The
    earliest date is 1 January, five years before the covenant's start or the
    KPI's baseline, whichever is earlier (both 2024 here: 2019-01-01)."""
    agreement = make_agreement(world.covenant_x)
    _token, raw = ApiToken.issue(world.secretariat_x)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    r = api.post(
        f"/api/agreements/{agreement.pk}/measurements",
        {"date": day, "value": "5", "source": "assessment"},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert r.json()["detail"] == (
        f"A measurement dated {day} is too early: this KPI's measurements start on "
        "2019-01-01 (five years before the covenant's start or the KPI's baseline, "
        "whichever is earlier)."
    )
    assert agreement.measurements.count() == 0
    ok = api.post(
        f"/api/agreements/{agreement.pk}/measurements",
        {"date": "2019-01-01", "value": "5", "source": "assessment"},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content


def test_an_early_baseline_moves_the_earliest_date(world):
    agreement = make_agreement(world.covenant_x, baseline_date=date(2015, 6, 1))
    _token, raw = ApiToken.issue(world.secretariat_x)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="en")
    r = api.post(
        f"/api/agreements/{agreement.pk}/measurements",
        {"date": "2010-01-01", "value": "5", "source": "assessment"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content


def test_the_form_shows_the_early_date_on_the_date_field(client, world):
    agreement = make_agreement(world.covenant_x)
    client.force_login(world.secretariat_x)
    url = f"/manage/{world.covenant_x.slug}/agreements/{agreement.pk}/measurements/new/"
    data = {"date": "0001-01-01", "value": "5", "source": "assessment"}
    r = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert r.context["form"].errors["date"] == [
        "A measurement dated 0001-01-01 is too early: this KPI's measurements start on "
        "2019-01-01 (five years before the covenant's start or the KPI's baseline, "
        "whichever is earlier)."
    ]
    dutch = client.post(url, data, HTTP_ACCEPT_LANGUAGE="nl")
    assert "is te vroeg" in dutch.context["form"].errors["date"][0]
    assert agreement.measurements.count() == 0
