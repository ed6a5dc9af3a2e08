"""Pages and API: scoping (404 for another company's risk), exports with attribution, browser flow."""

import json

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from imvo.accounts.models import ApiToken
from imvo.core.testing import login
from imvo.risk import services


@pytest.fixture
def entry_a(world):
    services.add_sourcing(world.member_a, world.company_a, "BD", "garment", "Shirts", workers=500)
    return services.create_entry(
        world.member_a,
        world.company_a,
        "forced-labour",
        "=cmd|' /C calc'!A0",
        "BD",
        scale=4,
        scope=3,
        irremediability=4,
        likelihood=2,
    )


@pytest.mark.django_db
def test_member_sees_own_dashboard_with_heatmap_and_sources(client, world, entry_a):
    client.force_login(world.member_a)
    r = client.get(reverse("risk:dashboard"))
    body = r.content.decode()
    assert r.status_code == 200
    assert '<table class="heat"' in body and '<th scope="row">Bangladesh (BD)</th>' in body
    assert "ITUC Global Rights Index 2024" in body and "CC BY 4.0" in body


@pytest.mark.django_db
def test_sourcing_tables_name_country_and_sector_in_the_readers_language(client, world):
    """The scan keeps codes ("BD", "garment"); the page names them, and groups
    thousands as the language does."""
    services.add_sourcing(world.member_a, world.company_a, "BD", "garment", "Shirts", workers=2400)
    client.force_login(world.member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    body = client.get(reverse("risk:dashboard")).content.decode()
    # Both tables: the highest-risk sourcing and the countries entered by hand.
    assert body.count("<td>Bangladesh (BD)</td><td>Kleding en textiel</td>") == 2
    assert "<td>2.400</td>" in body and "<td>BD</td>" not in body


@pytest.mark.django_db
def test_add_sourcing_by_form_and_clear_error(client, world):
    client.force_login(world.member_a)
    r = client.post(reverse("risk:dashboard"), {"country": "Narnia"})
    assert r.status_code == 200 and "is not recognised" in r.content.decode()
    r = client.post(
        reverse("risk:dashboard"), {"country": "Pakistan", "sector": "garment", "product": "Jeans"}
    )
    assert r.status_code == 302
    assert world.company_a.risk_sourcing.get().country == "PK"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "language, names",
    [
        (
            "en",
            [
                "Remove Bangladesh (BD), Garment and textile, Shirts",
                "Remove Pakistan (PK), Food products",
            ],
        ),
        (
            "nl",
            [
                "Verwijderen Bangladesh (BD), Kleding en textiel, Shirts",
                "Verwijderen Pakistan (PK), Voedingsmiddelen",
            ],
        ),
    ],
)
def test_each_remove_button_names_its_row(client, world, language, names):
    """A screen reader hears which hand-entered row a Remove button removes: its
    accessible name (the button's text, part of it visually hidden) names the row."""
    import re

    services.add_sourcing(world.member_a, world.company_a, "BD", "garment", "Shirts")
    services.add_sourcing(world.member_a, world.company_a, "PK", "food", "")
    client.force_login(world.member_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("risk:dashboard")).content.decode()
    buttons = re.findall(r'/sourcing/\d+/delete/".*?<button[^>]*>(.*?)</button>', page, re.S)
    assert sorted(" ".join(re.sub(r"<[^>]+>", "", b).split()) for b in buttons) == names


@pytest.mark.django_db
def test_other_company_gets_404_for_entry_and_sees_empty_register(client, world, entry_a):
    client.force_login(world.member_b)
    assert client.get(reverse("risk:entry", args=[entry_a.pk])).status_code == 404
    assert client.post(reverse("risk:entry", args=[entry_a.pk]), {"title": "x"}).status_code == 404
    r = client.get(reverse("risk:register"))
    assert "calc" not in r.content.decode()
    other = world.company_a.risk_sourcing.get()
    client.post(reverse("risk:sourcing_delete", args=[other.pk]))
    assert world.company_a.risk_sourcing.exists()


@pytest.mark.django_db
def test_people_without_company_and_anonymous(client, world):
    assert client.get(reverse("risk:dashboard")).status_code == 302  # to the login page
    client.force_login(world.secretariat_x)
    assert client.get(reverse("risk:dashboard")).status_code == 404
    assert client.get(reverse("risk:method")).status_code == 200


@pytest.mark.django_db
def test_covenant_analysis_only_for_its_secretariat(client, world, entry_a):
    url = reverse("risk:covenant", args=[world.covenant_x.slug])
    client.force_login(world.secretariat_y)
    assert client.get(url).status_code == 404
    client.force_login(world.member_a)
    assert client.get(url).status_code == 404
    client.force_login(world.secretariat_x)
    r = client.get(url)
    assert r.status_code == 200 and "Company A" not in r.content.decode()
    assert "Labour-intensive cut-make-trim" in r.content.decode()  # the garment profile


@pytest.mark.django_db
def test_register_export_is_formula_safe_and_attributed(client, world, entry_a):
    client.force_login(world.member_a)
    csv_text = client.get(reverse("risk:register") + "?format=csv").content.decode("utf-8-sig")
    assert "'=cmd" in csv_text and ",=cmd" not in csv_text
    doc = json.loads(client.get(reverse("risk:register") + "?format=json").content)
    assert doc["data"][0]["severity"] == 11
    assert any("Worldwide Governance Indicators" in s for s in doc["meta"]["sources"])


@pytest.mark.django_db
def test_entry_form_override_without_reason_is_refused(client, world, entry_a):
    client.force_login(world.member_a)
    url = reverse("risk:entry", args=[entry_a.pk])
    data = {
        "title": "Bonded labour",
        "scale": 4,
        "scope": 3,
        "irremediability": 4,
        "likelihood": 2,
        "involvement": "directly_linked",
        "status": "assessing",
        "override_priority": 99,
    }
    r = client.post(url, data)
    assert r.status_code == 200 and "needs a reason" in r.content.decode()
    r = client.post(url, {**data, "override_reason": "Audit found passports withheld"})
    assert r.status_code == 302
    entry_a.refresh_from_db()
    assert entry_a.priority == 99 and entry_a.overrides.count() == 1
    # The override's author by name, never by log-in name.
    user = world.member_a
    user.first_name, user.last_name = "Ayşe", "Demir"
    user.save()
    page = client.get(url).content.decode()
    assert "Ayşe Demir: " in page and f"{user.username}:" not in page


@pytest.mark.django_db
def test_api_register_scoped_by_token(client, world, entry_a):
    _, raw_a = ApiToken.issue(world.member_a, "t")
    _, raw_b = ApiToken.issue(world.member_b, "t")
    r = client.get("/api/risk/register", headers={"Authorization": f"Bearer {raw_a}"})
    assert r.status_code == 200 and r.json()[0]["id"] == entry_a.pk
    r = client.get(f"/api/risk/register/{entry_a.pk}", headers={"Authorization": f"Bearer {raw_b}"})
    assert r.status_code == 404
    assert client.get("/api/risk/register").status_code == 401
    r = client.get("/api/risk/my-scan", headers={"Authorization": f"Bearer {raw_a}"})
    assert r.json()["rows"] == 1 and r.json()["sources"]


@pytest.mark.django_db
def test_api_scan_posted_rows_and_sources(client):
    r = client.post(
        "/api/risk/scan",
        json.dumps([{"country": "Ghana", "product": "Cocoa"}]),
        content_type="application/json",
    )
    doc = r.json()
    assert r.status_code == 200 and doc["themes"][0]["level"] == "high"
    child = next(t for t in doc["themes"] if t["theme"] == "child-labour")
    assert any("Cocoa" in x["shown"] for d in child["drivers"] for x in d["reasons"])
    r = client.post("/api/risk/scan", "[]", content_type="application/json")
    assert r.status_code == 400
    assert {s["code"] for s in client.get("/api/risk/sources").json()} == {"wgi", "ituc", "ilab"}


@pytest.mark.django_db
def test_nav_links_by_role(world):
    from imvo.risk.nav import links_for

    assert [x.url for x in links_for(world.member_a)][:2] == ["/risk/", "/risk/register/"]
    assert any(world.covenant_x.slug in x.url for x in links_for(world.secretariat_x))
    assert not any(world.covenant_y.slug in x.url for x in links_for(world.secretariat_x))
    assert links_for(world.committee_x) == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_builds_register_from_scan_in_browser(page, world):
    services.add_sourcing(world.member_a, world.company_a, "BD", "garment", "Shirts", workers=500)
    login(page, "member_a")
    page.goto("/risk/")
    heat = page.locator("table.heat")
    assert heat.locator("th[scope=row]").first.inner_text() == "Bangladesh (BD)"
    assert "high" in heat.locator("tbody td.lvl-high").first.inner_text()
    page.goto("/risk/register/")
    page.click("text=Add the top risks from the scan")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(10)
    first = rows.first.locator("a").inner_text()
    page.click(f"text={first}")
    page.select_option("#id_likelihood", "1")
    page.fill("#id_override_priority", "100")
    page.fill("#id_override_reason", "Union report of a factory fire")
    page.click("main form.stack button[type=submit]")
    expect(page.locator("main")).to_contain_text("Union report of a factory fire")


@pytest.mark.django_db
def test_method_page_in_dutch(client):
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    try:
        body = client.get(reverse("risk:method")).content.decode()
    finally:
        # The locale middleware leaves Dutch active in this thread; later tests expect English.
        translation.activate(settings.LANGUAGE_CODE)
    assert (
        "Hoe risico&#x27;s worden gescoord en geprioriteerd" in body
        or "Hoe risico's worden gescoord" in body
    )
    assert "Uitgewerkte voorbeelden" in body


def test_ilab_reason_label_is_shown_in_dutch():
    """Reasons are stored with English labels and text, and written in the reader's
    language when shown: the label, what was found, the goods' names."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from imvo.risk.scan import _ilab_reason

    reason = _ilab_reason({}, "child-labour", ["Cocoa"], True, 1.0)
    assert reason["label"] == "US DOL ILAB List of Goods: child labour"  # stored English
    assert reason["shown"] == "this good is listed: Cocoa"
    driver = {"country": "CI", "sector": "food", "score": 85, "weight": 1, "reasons": [reason]}
    theme = {"label": "Child labour", "level": "high", "max_score": 85, "high": 1}
    with translation.override("nl"):
        html = render_to_string("risk/_themes.html", {"themes": [theme | {"drivers": [driver]}]})
    assert "US DOL ILAB List of Goods: kinderarbeid: dit product staat op de lijst: Cacao" in html
    with translation.override("en"):
        html = render_to_string("risk/_themes.html", {"themes": [theme | {"drivers": [driver]}]})
    assert "US DOL ILAB List of Goods: child labour: this good is listed: Cocoa" in html


def test_every_kind_of_reason_reads_in_dutch():
    """A governance percentile with a Dutch decimal comma, an ITUC rating, goods of the
    sector, no data; a reason stored before its parts were kept reads as stored."""
    from django.utils import translation

    from imvo.risk.reasons import shown_text
    from imvo.risk.scan import _ilab_reason

    sector = _ilab_reason({}, "forced-labour", ["Cotton", "Garments"], False, 0.85)
    with translation.override("nl"):
        assert shown_text({"indicator": "wgi.rl", "value": 12.34}) == "percentiel 12,3"
        ituc = {
            "indicator": "ituc.rating",
            "value": 5.5,
            "raw": "5+ (No guarantee - breakdown ...)",
        }
        assert shown_text(ituc) == "score 5+ (geen garantie: rechtsstaat ingestort)"
        assert shown_text({"indicator": "ituc.rating", "raw": "5+"}) == "score 5+"
        assert shown_text(sector) == "producten van deze sector op de lijst: Katoen, Kleding"
        assert shown_text({"indicator": "unknown"}) == "telt als 0,5 (onbekend is niet laag)"
        old = {"indicator": "ilab.good", "shown": "this good is listed: Cocoa"}
        assert shown_text(old) == "this good is listed: Cocoa"


@pytest.mark.django_db
def test_method_page_names_the_indicators_in_the_readers_language(client):
    from django.utils import translation

    try:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        nl = client.get(reverse("risk:method")).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        fr = client.get(reverse("risk:method")).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert "WGI Rechtsstaat (percentielrang)" in nl
    assert "WGI Rule of Law" not in nl
    assert "(werk van de Amerikaanse overheid, publiek domein)" in nl  # ILAB's licence
    assert "WGI État de droit (rang centile)" in fr


def test_a_stored_attribution_line_names_its_licence_in_the_readers_language():
    from django.utils import translation

    from imvo.risk.templatetags.risk_tags import attribution_line, licence_label

    line = (
        "ITUC Global Rights Index 2024, International Trade Union Confederation (Published "
        "ratings, cited with attribution (hand-compiled copy: check against the report)) "
        "https://www.globalrightsindex.org"
    )
    with translation.override("nl"):
        assert "(gepubliceerde scores, geciteerd met bronvermelding (met de hand" in (
            attribution_line(line)
        )
        assert attribution_line("Other 2020, X (CC BY 4.0)") == "Other 2020, X (CC BY 4.0)"
        assert licence_label("CC BY 4.0") == "CC BY 4.0"


@pytest.mark.django_db
def test_register_download_for_people_in_their_language_for_programs_in_keys(
    client, world, entry_a
):
    """CSV and Excel are opened by people: Dutch column names and reasons for a Dutch
    reader (formula-safe like every cell); JSON keeps the English keys and the reasons
    as stored, whatever the reader's language (docs/risk.md, "Register download")."""
    import csv
    import io
    import zipfile

    from django.utils import translation

    assert services.register_from_scan(world.member_a, world.company_a)  # with its reasons
    client.force_login(world.member_a)
    url = reverse("risk:register")
    try:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
        nl = client.get(url + "?format=csv").content.decode("utf-8-sig")
        xlsx = client.get(url + "?format=xlsx").content
        doc = json.loads(client.get(url + "?format=json").content)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        en = client.get(url + "?format=csv").content.decode("utf-8-sig")
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    header, *rows = list(csv.reader(io.StringIO(nl)))
    assert header[:3] == ["Rang", "Prioriteit", "Berekende prioriteit"]
    assert header[-1] == "Waar het getal van de scan vandaan komt"
    reasons = " ".join(row[-1] for row in rows)
    assert "percentiel" in reasons and "percentile " not in reasons
    assert "'=cmd" in nl and ",=cmd" not in nl.replace('"', "")
    with zipfile.ZipFile(io.BytesIO(xlsx)) as book:
        assert "Berekende prioriteit" in book.read("xl/sharedStrings.xml").decode()
    assert list(doc["data"][0])[:3] == ["rank", "priority", "computed priority"]
    assert "percentile " in " ".join(row["reasons"] for row in doc["data"])
    assert next(csv.reader(io.StringIO(en)))[:2] == ["Rank", "Priority"]
