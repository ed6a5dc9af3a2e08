"""The yearly progress report: its figures against the data they come from, other
apps' sections, the secretariat's text, frozen publication and the PDF."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.core.registry import Chart, Figure, ReportSection, SectionFormError, Table, registry
from imvo.reporting import render
from imvo.reporting.models import PublishedReport
from imvo.reporting.services import build, publication
from imvo.reporting.tests.helpers import measure, pdftotext, reporting_covenant, with_members

pytestmark = pytest.mark.django_db


TODAY = date(2026, 11, 29)


def section(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in data["sections"] if s["key"] == key)


def figure(sec: dict[str, Any], label: str) -> object:
    return next(f["value"] for f in sec["figures"] if f["label"] == label)


def test_agreement_figures_come_from_measurements_up_to_year_end():
    c, *_ = reporting_covenant()
    data = build.build_report(c, 2024, today=TODAY)
    sec = section(data, "agreements")
    rows = {r[0]: r for r in sec["tables"][0]["rows"]}
    # 2024: the latest measurement on or before 31 Dec 2024 is the one of March 2024.
    assert rows["1"][4] == 20.0
    assert rows["1"][7] == 20  # 20 of the way 0 -> 100
    assert rows["2"][4] == 190.0
    assert rows["2"][7] == 10  # 200 -> 190 of 200 -> 100 is 10 %
    # Elapsed share on 31 Dec 2024: 549 of 1826 days = 30 %.
    assert rows["1"][8] == round(549 / 1826 * 100)
    assert figure(sec, "Behind") == 2
    assert figure(sec, "Agreements") == 2

    data_2025 = build.build_report(c, 2025, today=TODAY)
    rows_2025 = {r[0]: r for r in section(data_2025, "agreements")["tables"][0]["rows"]}
    assert rows_2025["1"][4] == 50.0  # March 2026's 90 is after the 2025 year end
    assert rows_2025["2"][7] == 15


def test_progress_over_years_chart_matches_measurements():
    c, *_ = reporting_covenant()
    data = build.build_report(c, 2025, today=TODAY)
    charts = section(data, "agreements")["charts"]
    line = next(ch for ch in charts if ch["type"] == "line")
    assert line["labels"] == ["2023", "2024", "2025"]
    assert line["series"][0]["values"] == [0.0, 20.0, 50.0]
    assert line["series"][1]["values"] == [0.0, 10.0, 15.0]
    bar = next(ch for ch in charts if ch["type"] == "bar")
    assert bar["series"][0]["values"] == [50, 15]


def test_running_year_uses_today_as_reference_date():
    c, *_ = reporting_covenant()
    data = build.build_report(c, 2026, today=TODAY)
    assert data["as_of"] == "2026-11-29"
    rows = {r[0]: r for r in section(data, "agreements")["tables"][0]["rows"]}
    assert rows["1"][4] == 90.0
    assert rows["1"][9] == "On track"


def test_member_figures_at_year_end():
    c, *_ = reporting_covenant()
    with_members(c)
    members_2024 = section(build.build_report(c, 2024, today=TODAY), "members")
    assert figure(members_2024, "Member companies") == 2  # Gamma left in June 2024
    assert figure(members_2024, "Parties") == 3
    assert figure(members_2024, "Stakeholders") == 1
    assert figure(members_2024, "Joined in 2024") == 1
    assert figure(members_2024, "Left in 2024") == 1
    members_2023 = section(build.build_report(c, 2023, today=TODAY), "members")
    assert figure(members_2023, "Member companies") == 2  # Alpha and Gamma; Beta joined 2024
    by_type = {r[0]: r[1:] for r in members_2023["tables"][0]["rows"]}
    assert by_type["Company"] == [2, 0]
    assert by_type["NGO"] == [0, 1]


@pytest.mark.parametrize("year", [2022, 2029, 2027])
def test_year_outside_term_or_in_future_is_refused(year):
    c, *_ = reporting_covenant()
    with pytest.raises(DomainError) as e:
        build.build_report(c, year, today=TODAY)
    assert str(year) in str(e.value)


@pytest.fixture
def fake_app_report(monkeypatch):
    """Offers `fn` as the complaints app's report sections, in the registry."""

    def install(fn):
        monkeypatch.setitem(registry.report_sections, "complaints", fn)

    return install


def test_other_apps_sections_are_included_and_normalised(fake_app_report):
    c, *_ = reporting_covenant()

    def report_sections(covenant, year):
        return [
            ReportSection(
                key="complaints",
                title="Complaints",
                text="Handled within the time limits.",
                figures=[Figure("Complaints received", 7, "")],
                tables=[Table(caption="By stage", header=["Stage", "n"], rows=[["x", 1]])],
                charts=[
                    Chart(
                        kind="heatmap",
                        title="Risk",
                        rows=["BD"],
                        cols=["Child labour"],
                        values=[[3]],
                    ),
                ],
                sources=["Complaints register"],
            )
        ]

    # An unsupported chart type is refused where the section is made.
    with pytest.raises(SectionFormError):
        Chart(kind="pie", title="unsupported")  # type: ignore[arg-type]
    fake_app_report(report_sections)
    data = build.build_report(c, 2025, today=TODAY)
    sec = section(data, "complaints")
    assert sec["app"] == "complaints"
    assert figure(sec, "Complaints received") == 7
    assert [ch["type"] for ch in sec["charts"]] == ["heatmap"]
    assert "Complaints register" in data["sources"]
    html = render.render_report_html(data)
    assert "Complaints received" in html and "data:image/svg+xml;base64," in html


def test_a_failing_section_is_reported_and_blocks_publication(fake_app_report):
    c, *_ = reporting_covenant()
    secretariat = make_user()
    from imvo.accounts.services import grant_role

    grant_role(secretariat, c, "secretariat")

    def broken(covenant, year):
        raise ZeroDivisionError

    fake_app_report(broken)
    data = build.build_report(c, 2025, today=TODAY)
    assert data["errors"] and "complaints" in data["errors"][0]
    assert section(data, "agreements")  # the rest still builds
    with pytest.raises(DomainError, match="cannot be published"):
        publication.publish_report(secretariat, c, 2025, today=TODAY)
    assert not PublishedReport.objects.exists()


def test_malformed_section_names_the_app(fake_app_report):
    c, *_ = reporting_covenant()
    fake_app_report(lambda covenant, year: [{"title": "no key"}])
    data = build.build_report(c, 2025, today=TODAY)
    assert data["errors"] == [
        "The complaints section is not in the agreed form (needs at least key and title)."
    ]


def test_only_the_secretariat_writes_text_and_publishes(world):
    c = world.covenant_x
    for user in (world.member_a, world.secretariat_y, world.committee_x):
        with pytest.raises(PermissionDeniedError):
            publication.save_section_text(user, c, 2025, "members", nl="x", en="x")
        with pytest.raises(PermissionDeniedError):
            publication.publish_report(user, c, 2025)


def test_published_report_is_frozen(world):
    c = world.covenant_x  # 2024-07-01 .. 2029-06-30
    from imvo.testing import make_agreement

    a = make_agreement(c, number="1")
    m = measure(a, date(2025, 3, 31), "40")
    publication.save_section_text(
        world.secretariat_x, c, 2025, "agreements", nl="Goede voortgang.", en="Good progress."
    )
    edition = publication.publish_report(world.secretariat_x, c, 2025)
    assert edition.version == 1
    assert "Good progress." in edition.html
    assert bytes(edition.pdf).startswith(b"%PDF-")
    # Later changes to the data and the text do not alter the published edition.
    m.value = 10
    m.save()
    publication.save_section_text(
        world.secretariat_x, c, 2025, "agreements", nl="Herzien.", en="Revised."
    )
    edition.refresh_from_db()
    rows = section(edition.snapshot, "agreements")["tables"][0]["rows"]
    assert rows[0][4] == 40.0
    assert "Good progress." in edition.html and "Revised." not in edition.html
    # A new publication is a new version; the first stays.
    second = publication.publish_report(world.secretariat_x, c, 2025)
    assert second.version == 2
    assert section(second.snapshot, "agreements")["tables"][0]["rows"][0][4] == 10.0
    # Every version in Dutch and English.
    assert sorted(
        PublishedReport.objects.filter(covenant=c, year=2025).values_list("version", "language")
    ) == [(1, "en"), (1, "nl"), (2, "en"), (2, "nl")]
    dutch = PublishedReport.objects.get(covenant=c, year=2025, version=1, language="nl")
    assert "Afspraken en resultaten" in dutch.html and "Goede voortgang." in dutch.html
    assert "Good progress." not in dutch.html and "lang-fallback" not in dutch.html


def test_agreement_deadlines_are_dates_in_the_reports_language():
    from django.utils import translation

    c, *_ = reporting_covenant()
    with translation.override("nl"):
        rows = section(build.build_report(c, 2025, today=TODAY), "agreements")["tables"][0]["rows"]
    assert rows[0][6] == "30 juni 2028"  # was 2028-06-30 in a Dutch table
    with translation.override("en"):
        rows = section(build.build_report(c, 2025, today=TODAY), "agreements")["tables"][0]["rows"]
    assert rows[0][6] == "30 June 2028"


def test_pdf_has_title_page_contents_and_sections(tmp_path):
    c, *_ = reporting_covenant(name_en="Garment Test Covenant")
    data = build.build_report(c, 2025, today=TODAY)
    text, pages = pdftotext(render.render_report_pdf(data), tmp_path)
    pages_text = text.split("\f")
    # Title page, contents, each section from a new page, sources and method.
    # Other apps (complaints, supply chain...) add their own sections, a page or two each.
    sections = len(data["sections"]) if isinstance(data, dict) and "sections" in data else 2
    assert 5 <= pages <= 4 + 2 * max(sections, 2)
    assert "Garment Test Covenant" in pages_text[0]
    assert "Yearly progress report 2025" in pages_text[0]
    assert "Contents" in pages_text[1]
    assert "Agreements and results" in pages_text[1]
    assert "Parties and members" in pages_text[2]
    assert "Agreements and results" in pages_text[3]
    assert "Figure 1" in pages_text[3]
    assert "Sources and method" in pages_text[-2] + pages_text[-1]
    assert "Secretariat assessment 2024" in text
    assert "CC BY 4.0" in text


def test_pdf_never_fetches_files_or_urls(tmp_path, monkeypatch):
    """Even if a section carried an <img> to a local file, the PDF renderer refuses to read it."""
    from weasyprint.urls import URLFetcher

    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    c, *_ = reporting_covenant()
    data = build.build_report(c, 2025, today=TODAY)
    body = render.render_report_html(data) + f'<img src="file://{secret}" alt="x">'
    outcome: dict[str, str] = {}
    original = URLFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except ValueError as e:
            outcome[url] = f"refused: {e}"
            raise
        outcome[url] = "fetched"
        return response

    monkeypatch.setattr(URLFetcher, "fetch", spy)
    pdf = render.render_report_pdf(data, body=body)
    assert pdf.startswith(b"%PDF-")
    assert outcome[f"file://{secret}"].startswith("refused")
    charts = [u for u in outcome if u.startswith("data:")]
    assert charts and all(outcome[u] == "fetched" for u in charts)


def test_demo_publishes_even_when_another_apps_section_fails(fake_app_report):
    from imvo.covenants.models import Covenant
    from imvo.reporting import demo
    from imvo.testing import make_org

    def broken(covenant, year):
        raise RuntimeError("not ready")

    fake_app_report(broken)
    garment = Covenant.objects.create(
        slug="garment-textile",
        name_en="Garments",
        name_nl="Kleding",
        sector="garment",
        start_date=date(timezone.localdate().year - 3, 7, 1),
        end_date=date(timezone.localdate().year + 2, 6, 30),
    )
    secretariat = make_user("secretariat")
    from imvo.accounts.services import grant_role

    grant_role(secretariat, garment, "secretariat")
    adhere_org = make_org("Noorderlicht Fashion B.V.")
    from imvo.testing import adhere

    adhere(garment, adhere_org)
    assert demo.load() == []
    edition = PublishedReport.objects.get(covenant=garment, language="en")
    assert edition.year == timezone.localdate().year - 1
    assert edition.snapshot["errors"]
    assert "One member company left" in edition.html
    # The narrative exists in both languages: the Dutch edition carries the Dutch text.
    dutch = PublishedReport.objects.get(covenant=garment, language="nl")
    assert "Eén lid verliet het convenant" in dutch.html
    assert "One member company left" not in dutch.html and "lang-fallback" not in dutch.html
    from imvo.core.translation_check import missing_content

    assert [m for m in missing_content() if m.model == "reporting.SectionText"] == []


def test_dates_in_the_report_are_written_as_its_language_writes_them():
    """Day first with the month in words, in the edition's language; the snapshot keeps
    ISO dates for programs."""
    from django.template.loader import render_to_string
    from django.utils import translation

    c, *_ = reporting_covenant()
    for lang, day, term in (
        ("nl", "31 december 2024", "1 juli 2023 \N{EN DASH} 30 juni 2028"),
        ("en", "31 December 2024", "1 July 2023 \N{EN DASH} 30 June 2028"),
    ):
        with translation.override(lang):
            data = build.build_report(c, 2024, today=TODAY)
            assert data["as_of"] == "2024-12-31"
            assert day in section(data, "members")["text"]
            assert day in section(data, "agreements")["tables"][0]["caption"]
            body = render.render_report_html(data)
            assert day in body.split('id="s-method"')[1] and "2024-12-31" not in body
            title_page = render_to_string("reporting/report_pdf.html", {"report": data})
            assert f"<dd>{day}</dd>" in title_page and f"<dd>{term}</dd>" in title_page


def test_wide_tables_stay_inside_the_pdf_page(tmp_path):
    """A chart's data table with a dozen long Dutch theme names (the country x theme
    heat map) and the KPI table used to run off the right edge of the A4 page, so
    the last columns were cut off in the published PDF."""
    import re
    import subprocess

    c, *_ = reporting_covenant()
    data = build.build_report(c, 2025, today=TODAY)
    themes = ["Waterverontreiniging, chemicaliën, water en energie", "Vrijheid van vakvereniging",
              "Gezondheid en veiligheid op het werk", "Discriminatie en gender", "Kinderarbeid",
              "Dwangarbeid", "Leefbaar loon", "Mensenrechten", "Grondstoffen", "Milieu",
              "Dierenwelzijn", "Bestrijding van omkoping"]  # fmt: skip
    head = "".join(f'<th scope="col">{t}</th>' for t in themes)
    row = "<tr><th>Bangladesh</th>" + "<td>80,5</td>" * (len(themes) - 1) + "<td>12,3</td></tr>"
    body = (
        '<section class="report-section"><details class="chart-data"><table class="compact">'
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{row}</tbody></table></details></section>"
    )
    pdf = tmp_path / "wide.pdf"
    pdf.write_bytes(render.render_report_pdf(data, body=body))
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))  # type: ignore[union-attr]
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert ">12,3<" in bbox  # the last column is there
    assert max(right_edges) <= width - 40  # inside the 18 mm (51 pt) right margin, roughly
