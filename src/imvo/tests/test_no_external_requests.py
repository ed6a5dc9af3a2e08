"""Every public page, and the API docs, load in chromium with the network closed to
everything but the platform's own server: no CDN, font service or tracker is asked
for anything, and nothing the page needs is refused by its own Content-Security-Policy."""

from __future__ import annotations

import pytest

from imvo.tests.public_pages import public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXTRA_PAGES = ["/api/docs", "/health/", "/accounts/password-reset/"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_no_page_asks_anything_of_another_server(browser, live_server, media):
    pages = [*public_pages(), *EXTRA_PAGES]
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    outside: list[str] = []
    refused: list[str] = []

    def only_our_server(route, request):
        url = request.url
        if url.startswith((live_server.url, "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_our_server)
    page = context.new_page()
    page.set_default_timeout(15000)
    current = {"url": ""}
    page.on(
        "console",
        lambda msg: (
            refused.append(f"{current['url']}: {msg.text}")
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    for url in pages:
        current["url"] = url
        page.goto(url)
        page.wait_for_load_state("networkidle")
    # The API documentation shows the API, not a blank page.
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    assert "IMVO" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock", timeout=20000)
    context.close()
    assert not outside, "requests to other servers:\n" + "\n".join(outside)
    assert not refused, "refused by the Content-Security-Policy:\n" + "\n".join(refused)
