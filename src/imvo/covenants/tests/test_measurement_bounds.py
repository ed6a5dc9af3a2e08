"""A KPI measurement sent through the API is held to the bounds the page's form
holds it to (docs/security.md, T62). A value past the column was stored by
SQLite and failed every later read: one call put the covenant's public page, its
API answer, dashboard and open data on 500; PostgreSQL answered the call with a
500 (numeric overflow, a source past its 300 characters)."""

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
