"""The complaint form stays cheap however many covenants and members there are
(found by the load test, docs/performance.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imvo.core.testing import adhere, make_covenant, make_org


def _grow(n_covenants: int, members_each: int) -> None:
    for _ in range(n_covenants):
        c = make_covenant(phase="implementation")
        for _ in range(members_each):
            adhere(c, make_org())


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/complaints/new/")
    assert r.status_code == 200
    return len(ctx)


@pytest.mark.django_db
def test_complaint_form_queries_do_not_grow_with_covenants(client):
    _grow(2, 2)
    few = _queries(client)
    _grow(8, 3)
    assert _queries(client) == few


@pytest.mark.django_db
def test_member_list_on_the_form_is_grouped_escaped_and_only_active_companies(client):
    c = make_covenant(name_en="Zinc covenant", phase="implementation")
    active = make_org("Brand <b>&</b> Co")
    gone = make_org("Withdrawn Ltd")
    ngo = make_org("Some NGO", type="ngo")
    adhere(c, active)
    adhere(c, gone, status="withdrawn")
    adhere(c, ngo, role="stakeholder")
    html = client.get("/complaints/new/").content.decode()
    at = html.index('name="respondent"')
    select = html[html.rindex("<select", 0, at) : html.index("</select>", at)]
    assert '<optgroup label="Zinc covenant">' in select
    assert f'<option value="{active.pk}">Brand &lt;b&gt;&amp;&lt;/b&gt; Co</option>' in select
    assert "Withdrawn Ltd" not in select
    assert "Some NGO" not in select
    assert 'id="id_respondent"' in select


@pytest.mark.django_db
def test_chosen_member_stays_selected_after_a_search(client):
    c = make_covenant(phase="implementation")
    org = make_org("Keep Me B.V.")
    adhere(c, org)
    r = client.post(
        "/complaints/new/",
        {"action": "search", "covenant": c.slug, "respondent": str(org.pk), "location_query": "x"},
    )
    html = r.content.decode()
    assert f'<option value="{org.pk}" selected>Keep Me B.V.</option>' in html
