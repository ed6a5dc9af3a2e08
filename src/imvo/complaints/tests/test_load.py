"""The complaint form stays cheap however many covenants and members there are
(found by the load test, docs/performance.md)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imvo.testing import adhere, make_covenant, make_org


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


def _covenant_with_member(name: str):
    """An open covenant with one active member company."""
    c = make_covenant(phase="implementation")
    org = make_org(name)
    adhere(c, org)
    return c, org


def _respondent_select(html: str) -> str:
    at = html.index('name="respondent"')
    return html[html.rindex("<select", 0, at) : html.index("</select>", at)]


@pytest.mark.django_db
def test_member_list_lists_the_chosen_covenants_active_companies_escaped(client):
    c = make_covenant(name_en="Zinc covenant", phase="implementation")
    other = make_covenant(name_en="Tin covenant", phase="implementation")
    active = make_org("Brand <b>&</b> Co")
    gone = make_org("Withdrawn Ltd")
    ngo = make_org("Some NGO", type="ngo")
    elsewhere = make_org("Other Covenant Member")
    adhere(c, active)
    adhere(c, gone, status="withdrawn")
    adhere(c, ngo, role="stakeholder")
    adhere(other, elsewhere)
    html = client.get(f"/complaints/new/?covenant={c.slug}").content.decode()
    select = _respondent_select(html)
    assert f'<option value="{active.pk}">Brand &lt;b&gt;&amp;&lt;/b&gt; Co</option>' in select
    assert "Withdrawn Ltd" not in select
    assert "Some NGO" not in select
    assert "Other Covenant Member" not in html
    assert 'id="id_respondent"' in select


@pytest.mark.django_db
def test_form_without_a_covenant_lists_no_members_and_stays_small(client):
    """The page does not grow with the members of all covenants (it was 283 KB at
    5,000 members): the company list comes after the covenant is chosen."""
    small = len(client.get("/complaints/new/").content)
    for i in range(3):
        c = make_covenant(phase="implementation")
        for j in range(100):
            adhere(c, make_org(f"Member company number {i}-{j} with a long trading name B.V."))
    html = client.get("/complaints/new/").content.decode()
    assert 'name="respondent"' not in html
    assert "Member company number" not in html
    assert 'value="members"' in html  # the no-JavaScript button that shows the list
    assert len(html.encode()) < small + 1000  # only the three covenant options were added


@pytest.mark.django_db
def test_show_companies_keeps_what_was_typed_and_lists_the_covenants_members(client):
    c, org = _covenant_with_member("Listed Member N.V.")
    r = client.post(
        "/complaints/new/",
        {"action": "members", "covenant": c.slug, "description": "Wages were not paid for months"},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Wages were not paid for months" in html
    assert f'<option value="{org.pk}">Listed Member N.V.</option>' in _respondent_select(html)


@pytest.mark.django_db
def test_a_company_of_another_covenant_is_refused_on_submit(client):
    c = make_covenant(phase="implementation")
    other = make_covenant(phase="implementation")
    outsider = make_org("Outsider B.V.")
    adhere(other, outsider)
    r = client.post(
        "/complaints/new/",
        {
            "action": "submit",
            "covenant": c.slug,
            "complainant_type": "affected",
            "description": "Wages were not paid for months",
            "respondent": str(outsider.pk),
        },
    )
    assert r.status_code == 200  # the form again, with the field marked
    assert 'id="id_respondent_error"' in r.content.decode()
    from imvo.complaints.models import Complaint

    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_cached_blank_form_shows_a_new_member_at_once(client):
    c = make_covenant(phase="implementation")
    adhere(c, make_org("First Member"))
    assert "First Member" in client.get(f"/complaints/new/?covenant={c.slug}").content.decode()
    adhere(c, make_org("Second Member"))  # a save starts a new public data version
    html = client.get(f"/complaints/new/?covenant={c.slug}").content.decode()
    assert "Second Member" in html


@pytest.mark.django_db
def test_blank_form_renders_once_then_comes_from_the_cache(client, monkeypatch):
    from imvo.complaints import views

    calls = []
    real = views.render_to_string  # type: ignore[attr-defined]
    monkeypatch.setattr(views, "render_to_string", lambda *a, **k: calls.append(1) or real(*a, **k))  # type: ignore[func-returns-value]
    first = client.get("/complaints/new/").content
    second = client.get("/complaints/new/").content
    assert len(calls) == 1
    # Same fields; only the per-request CSRF token and CSP nonce differ.
    strip = re.compile(rb'(value|nonce)="[^"]*"')
    assert strip.sub(b"", first) == strip.sub(b"", second)
    client.post("/complaints/new/", {"action": "search", "location_query": "x"})
    assert len(calls) == 2  # a filled-in form is never cached


@pytest.mark.django_db
def test_chosen_member_stays_selected_after_a_search(client):
    c, org = _covenant_with_member("Keep Me B.V.")
    r = client.post(
        "/complaints/new/",
        {"action": "search", "covenant": c.slug, "respondent": str(org.pk), "location_query": "x"},
    )
    html = r.content.decode()
    assert f'<option value="{org.pk}" selected>Keep Me B.V.</option>' in html
