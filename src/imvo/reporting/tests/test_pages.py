"""Reporting pages and API: who sees what, the draft workflow, open data downloads."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.test import Client

from imvo.reporting.services import open_data, publication
from imvo.reporting.tests.helpers import measure
from imvo.testing import make_agreement, reports_published_without_pdf

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.cookies["django_language"] = "en"
    if user is not None:
        c.force_login(user)
    return c


def publish(world):
    a = make_agreement(world.covenant_x, number="1")
    measure(a, date(2025, 3, 31), "40", "Assessment 2024")
    return publication.publish_report(world.secretariat_x, world.covenant_x, 2025)


@pytest.fixture
def published(world):
    """Covenant X's 2025 report, stored with a stand-in PDF: the tests using it read the
    pages, the API, open data and the admin. The real PDF is rendered, served and
    compared in test_published_report_and_pdf_are_public (and test_report.py)."""
    with reports_published_without_pdf():
        return publish(world)


def test_published_report_and_pdf_are_public(world):
    published = publish(world)
    c = client_for(None)
    r = c.get("/reports/covenant-x/2025/")
    assert r.status_code == 200
    assert "Agreements and results" in r.content.decode()
    pdf = c.get("/reports/covenant-x/2025/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(published.pdf)
    assert c.get("/reports/covenant-x/2024/").status_code == 404
    # A Dutch reader gets the Dutch edition of the same version.
    nl = Client(HTTP_ACCEPT_LANGUAGE="nl").get("/reports/covenant-x/2025/").content.decode()
    assert "Afspraken en resultaten" in nl
    assert c.get("/reports/").status_code == 200


@pytest.mark.parametrize("persona", ["anonymous", "member_a", "secretariat_y", "committee_x"])
def test_draft_is_only_for_the_covenants_secretariat(world, persona):
    user = world.personas()[persona]
    c = client_for(None if persona == "anonymous" else user)
    for url in (
        "/reports/covenant-x/2025/draft/",
        "/reports/covenant-x/2025/draft.pdf",
    ):
        r = c.get(url)
        assert r.status_code == (302 if persona == "anonymous" else 404), url
    r = c.post("/reports/covenant-x/2025/publish/")
    assert r.status_code == (302 if persona == "anonymous" else 404)
    r = c.post(
        "/reports/covenant-x/2025/draft/text/", {"key": "members", "text_nl": "x", "text_en": "x"}
    )
    assert r.status_code == (302 if persona == "anonymous" else 404)
    from imvo.reporting.models import PublishedReport, SectionText

    assert not PublishedReport.objects.exists() and not SectionText.objects.exists()


def test_secretariat_writes_text_and_publishes(world):
    c = client_for(world.secretariat_x)
    r = c.get("/reports/covenant-x/2025/draft/")
    assert r.status_code == 200
    r = c.post(
        "/reports/covenant-x/2025/draft/text/",
        {"key": "members", "text_nl": "<b>Onze woorden</b>", "text_en": "<b>Our words</b>"},
    )
    assert r.status_code == 302
    page = c.get("/reports/covenant-x/2025/draft/").content.decode()
    assert "&lt;b&gt;Our words&lt;/b&gt;" in page  # escaped, never raw HTML
    r = c.post("/reports/covenant-x/2025/publish/")
    assert r.status_code == 302 and r["Location"] == "/reports/covenant-x/2025/"
    assert "&lt;b&gt;Our words" in c.get("/reports/covenant-x/2025/").content.decode()


def test_draft_for_year_outside_term_says_why(world):
    c = client_for(world.secretariat_x)
    r = c.get("/reports/covenant-x/2030/draft/", follow=True)
    assert "2030 is outside the term" in r.content.decode()


def test_dashboards_render_charts_with_table_alternative(world):
    a = make_agreement(world.covenant_x, number="1")
    measure(a, date(2025, 3, 31), "40")
    c = client_for(None)
    for url in ("/reports/dashboard/", "/reports/dashboard/covenant-x/"):
        page = c.get(url).content.decode()
        assert 'src="data:image/svg+xml;base64,' in page, url
        assert "Chart data as a table" in page
    assert c.get("/reports/dashboard/nope/").status_code == 404


def test_dashboard_links_its_open_data_once_in_a_sentence(world):
    """It said "Download the underlying tables as open data: open data." in both languages."""
    c = client_for(None)
    page = c.get("/reports/dashboard/").content.decode()
    assert 'as open data: <a href="/reports/open-data/">CSV, XLSX, JSON</a>.' in page
    c.cookies["django_language"] = "nl"
    page = c.get("/reports/dashboard/").content.decode()
    assert 'als open data: <a href="/reports/open-data/">CSV, XLSX, JSON</a>.' in page
    assert ">open data</a>" not in page


def test_open_data_downloads_are_formula_safe_and_licensed(world):
    make_agreement(world.covenant_x, number="1", title_en='=HYPERLINK("http://evil")')
    c = client_for(None)
    r = c.get("/reports/open-data/agreements.csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["covenant", "number", "title_en"]
    assert rows[1][2] == '\'=HYPERLINK("http://evil")'
    data = json.loads(c.get("/reports/open-data/agreements.json").content)
    assert data["meta"]["licence"] == "CC BY 4.0"
    # JSON is read by programs, not spreadsheets: it keeps the exact text.
    assert data["data"][0]["title_en"] == '=HYPERLINK("http://evil")'
    xlsx = c.get("/reports/open-data/agreements.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(2, 3).value.startswith("'=")
    assert sheet.cell(2, 3).data_type == "s"
    assert c.get("/reports/open-data/agreements.exe").status_code == 404
    assert c.get("/reports/open-data/secrets.csv").status_code == 404


def test_every_open_table_downloads_and_matches_its_dictionary(world, published):
    c = client_for(None)
    page = c.get("/reports/open-data/").content.decode()
    for table in open_data.open_tables():
        assert f'id="{table.name}"' in page
        data = json.loads(c.get(f"/reports/open-data/{table.name}.json").content)
        assert set(data["meta"]["columns"]) == set(table.header)
        for row in data["data"]:
            assert list(row) == table.header
    figures = json.loads(c.get("/reports/open-data/report-figures.json").content)["data"]
    frozen = {
        (f["section"], f["label"]): f["value"] for f in figures if f["covenant"] == "covenant-x"
    }
    assert frozen[("agreements", "Agreements")] == 1


def test_api_lists_published_reports_and_snapshot(world, published):
    c = client_for(None)
    reports = c.get("/api/reports").json()
    assert reports == [
        {
            "covenant": "covenant-x",
            "year": 2025,
            "version": 1,
            "published_at": reports[0]["published_at"],
            "language": "en",
            "url": "/reports/covenant-x/2025/",
            "pdf_url": "/reports/covenant-x/2025/report.pdf",
        }
    ]
    snap = c.get("/api/reports/covenant-x/2025").json()["snapshot"]
    assert snap["year"] == 2025 and snap["sections"][0]["key"] == "members"
    assert c.get("/api/reports/covenant-x/2024").status_code == 404
    assert c.get("/api/open-data/nope").status_code == 404
    assert c.get("/api/open-data/covenants").json()["meta"]["licence"] == "CC BY 4.0"
    schema = c.get("/api/openapi.json").json()
    assert "/api/open-data/{name}" in schema["paths"]


def test_nav_links(world):
    from imvo.reporting.nav import links_for

    assert any("/reports/covenant-x/" in link.url for link in links_for(world.secretariat_x))
    assert not any("draft" in link.url for link in links_for(world.member_a))


def test_admin_lists_reports_read_only(world, published):
    c = client_for(world.admin)
    for url in (
        "/admin/reporting/publishedreport/",
        "/admin/reporting/sectiontext/",
        f"/admin/reporting/publishedreport/{published.pk}/change/",
    ):
        assert c.get(url).status_code == 200, url
    assert c.get("/admin/reporting/publishedreport/add/").status_code == 403


def test_covenant_in_exploration_has_a_dashboard_but_no_reporting_years(world):
    from imvo.testing import make_covenant

    make_covenant(slug="new-sector", phase="exploration", start_date=None, end_date=None)
    page = client_for(None).get("/reports/dashboard/new-sector/").content.decode()
    assert "no reporting years yet" in page
    c = client_for(world.admin)
    r = c.get("/reports/new-sector/2025/draft/", follow=True)
    assert "has no start date yet" in r.content.decode()


def test_absurd_years_are_not_found_not_errors(world):
    c = client_for(None)
    huge = 10**12
    assert c.get(f"/reports/covenant-x/{huge}/").status_code == 404
    assert c.get(f"/reports/covenant-x/{huge}/report.pdf").status_code == 404
    assert c.get(f"/reports/covenant-x/2025/v{huge}/").status_code == 404
    assert c.get(f"/reports/covenant-x/2025/report.pdf?version={huge}").status_code == 404
    assert c.get(f"/api/reports/covenant-x/{huge}").status_code in (404, 422)
    s = client_for(world.secretariat_x)
    r = s.get(f"/reports/covenant-x/{huge}/draft/", follow=True)
    assert r.status_code == 200 and "outside the term" in r.content.decode()


def test_a_reader_in_another_language_gets_the_english_edition_marked(world, published):
    """The report is published in Dutch and English; a French reader reads the English
    edition inside the French page, in its own lang and with the (EN) marker."""
    fr = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/reports/covenant-x/2025/").content.decode()
    assert '<div lang="en" dir="ltr"><div class="report">' in fr
    assert "(EN)</small>" in fr and "Agreements and results" in fr
    nl = Client(HTTP_ACCEPT_LANGUAGE="nl").get("/reports/covenant-x/2025/").content.decode()
    assert "lang-fallback" not in nl and '<div lang="nl"' not in nl


@pytest.mark.parametrize("version", ["%C2%B2", "1.0", "9" * 25, "-1"])
def test_a_report_version_that_is_no_whole_number_is_a_404(world, published, version):
    """ "²" passed str.isdigit() and failed int(): a 500 on the public PDF."""
    r = client_for(None).get(f"/reports/covenant-x/2025/report.pdf?version={version}")
    assert r.status_code == 404
