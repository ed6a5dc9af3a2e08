"""Every demo role's pages, crawled: each link on a page the role reaches from its home
(two clicks deep) answers, never with a server error and never with a dead link.

The access matrix (test_access_matrix.py) checks who may open which route; this test
checks the links the pages actually show, on the demo's realistic data, which is
where a link meant for one role ends up on another role's page (the secretariat's
signals list linked to the parties' workspace, a 404 for it).

One address per shape is opened (digits stand for any id: /risk/register/4/ and
/risk/register/5/ are one shape), so the crawl stays a few hundred requests per role.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# Every demo login but the platform admin (it signs in with a second factor and
# works in Django's admin).
ROLES = ("company", "company2", "company-food", "secretariat", "secretariat2", "union", "ngo",
         "government", "branch", "committee")  # fmt: skip
DEPTH = 2  # the home page's links, and theirs
# Not pages: signing out, the language switch, Django's admin, files.
SKIP = ("/accounts/logout/", "/i18n/", "/admin/", "/static/", "/media/")


def links(page: str, here: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', page):
        parts = urlsplit(urljoin(here, unescape(href)))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path and not parts.path.startswith(SKIP):
            found.append(url)
    return found


def shape(url: str) -> str:
    return re.sub(r"\d+", "#", url)


def crawl(client: Client, home: str) -> tuple[dict[str, int], dict[str, str]]:
    answers: dict[str, int] = {}
    came_from: dict[str, str] = {}
    shapes: set[str] = set()
    frontier = [home]
    for _ in range(DEPTH + 1):
        following: list[str] = []
        for url in frontier:
            if shape(url) in shapes:
                continue
            shapes.add(shape(url))
            r = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
            answers[url] = r.status_code
            if (
                r.status_code == 200
                and not r.streaming
                and r["Content-Type"].startswith("text/html")
            ):
                for link in links(r.content.decode(), url):
                    if shape(link) not in shapes:
                        came_from.setdefault(link, url)
                        following.append(link)
        frontier = following
    return answers, came_from


def test_every_link_a_demo_role_is_shown_answers(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from imvo.core.demo import load_demo

    load_demo(progress=lambda _m: None)
    broken: list[str] = []
    for username in ROLES:
        client = Client(raise_request_exception=False)
        client.force_login(get_user_model().objects.get(username=username))
        answers, came_from = crawl(client, "/accounts/")
        assert len(answers) > 20, (username, answers)  # the crawl did reach the pages
        broken += [
            f"{username}: {url} answers {status} (linked from {came_from.get(url)})"
            for url, status in answers.items()
            if status >= 400
        ]
    assert broken == []
