"""The complaint form's error summary: each error a link to its field, the
fields marked invalid and described by their error, and what was typed kept."""

import re
from html.parser import HTMLParser

from imvo.accounts.testing import make_user
from imvo.testing import make_org


class Page(HTMLParser):
    """The ids on a page, and the links (href, text) inside #error-summary."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: dict[str, dict[str, str]] = {}
        self.links: list[tuple[str, str]] = []
        self._depth = 0  # inside the summary: how many open tags deep
        self._href: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids[a["id"]] = a
        if a.get("id") == "error-summary" or self._depth:
            self._depth += 1
        if self._depth and tag == "a":
            self._href, self._text = a.get("href", ""), ""

    def handle_endtag(self, tag):
        if self._depth and tag == "a" and self._href is not None:
            self.links.append((self._href, self._text.strip()))
            self._href = None
        if self._depth:
            self._depth -= 1

    def handle_data(self, data):
        if self._href is not None:
            self._text += data


def test_each_error_links_to_its_field_and_the_typed_text_stays(world, client):
    r = client.post(
        "/complaints/new/",
        {
            "action": "submit",
            "covenant": "",
            "complainant_type": "nobody",
            "description": "Too short",
            "topics": ["wages"],
            "location": "Line 3, Gazipur",
            "name": "Rina",
            "contact": "+880 1711 000000",
        },
    )
    html = r.content.decode()
    page = Page(html)
    hrefs = [h for h, _t in page.links]
    assert hrefs == ["#id_covenant", "#id_complainant_type_0", "#id_description"]
    texts = dict(page.links)
    assert texts["#id_description"].startswith(
        "What happened? \u2013 Ensure this value has at least"
    )
    assert texts["#id_covenant"] == "Which agreement is this about? \u2013 This field is required."
    for href in hrefs:
        field = page.ids[href[1:]]  # the link's target is on the page
        assert field.get("aria-invalid") == "true", href
    assert "id_description_error" in page.ids["id_description"]["aria-describedby"]
    assert page.ids["error-summary"]["role"] == "alert"
    assert page.ids["error-summary"]["aria-labelledby"] == "error-summary-title"
    # What was typed comes back.
    assert re.search(r"<textarea[^>]*id=\"id_description\"[^>]*>\s*Too short</textarea>", html)
    assert page.ids["id_location"]["value"] == "Line 3, Gazipur"
    assert page.ids["id_name"]["value"] == "Rina"
    assert page.ids["id_contact"]["value"] == "+880 1711 000000"
    assert "checked" in page.ids["id_topics_0"] and page.ids["id_topics_0"]["value"] == "wages"
    assert "Files you chose must be chosen again" in html


def test_a_valid_form_has_no_summary(world, client):
    assert 'id="error-summary"' not in client.get("/complaints/new/").content.decode()


def test_the_on_behalf_form_links_its_errors_too(world, client):
    client.force_login(make_user("union_u", make_org("Garment Workers Union", type="union")))
    r = client.post("/complaints/on-behalf/", {"covenant": world.covenant_x.slug})
    page = Page(r.content.decode())
    hrefs = [h for h, _t in page.links]
    assert "#id_description" in hrefs and "#id_consent_how_0" in hrefs
    for href in hrefs:
        assert href[1:] in page.ids, href
