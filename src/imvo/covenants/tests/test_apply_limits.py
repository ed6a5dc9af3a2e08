"""The public "apply to join" form cannot flood the secretariat's list: valid
applications are limited per client address and per contact e-mail."""

import pytest
from django.test import Client, override_settings

from imvo.covenants.models import MembershipApplication

pytestmark = pytest.mark.django_db


def _post(world, email: str, address: str, language: str = "en", n: int = 0):
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address).post(
        f"/covenants/{world.covenant_x.slug}/apply/",
        {
            "organisation_name": f"Flood {n} B.V.",
            "organisation_type": "company",
            "country": "NL",
            "contact_name": "Eve",
            "contact_email": email,
            "conditions_accepted": "on",
        },
    )


def _pages(world, posts: list[tuple[str, str, str]]) -> list[str]:
    """Post (e-mail, address, language) in turn; each answer's page."""
    return [_post(world, e, a, lang, n).content.decode() for n, (e, a, lang) in enumerate(posts)]


@override_settings(IMVO_APPLY_LIMIT=3, IMVO_APPLY_EMAIL_LIMIT=100)
def test_applications_are_limited_per_client_address(world):
    before = MembershipApplication.objects.count()
    pages = _pages(world, [(f"eve{n}@example.org", "203.0.113.40", "en") for n in range(3)])
    assert all("Application received" in p for p in pages)
    en, nl, elsewhere = _pages(
        world,
        [
            ("eve9@example.org", "203.0.113.40", "en"),
            ("eve8@example.org", "203.0.113.40", "nl"),
            ("x@example.org", "198.51.100.9", "en"),
        ],
    )
    assert "Too many attempts from your connection" in en
    assert "Te veel pogingen vanaf uw verbinding" in nl
    assert "Application received" in elsewhere  # another client is not affected
    assert MembershipApplication.objects.count() == before + 4


@override_settings(IMVO_APPLY_LIMIT=100, IMVO_APPLY_EMAIL_LIMIT=2)
def test_applications_are_limited_per_contact_email(world):
    before = MembershipApplication.objects.count()
    pages = _pages(
        world,
        [
            ("Eve@Example.org", "203.0.113.50", "en"),
            ("eve@example.org", "203.0.113.51", "en"),
            ("eve@example.org", "203.0.113.60", "en"),
            ("eve@example.org", "203.0.113.61", "nl"),
        ],
    )
    assert all("Application received" in p for p in pages[:2])
    assert "Too many applications with this e-mail address today" in pages[2]
    assert "Te veel aanmeldingen met dit e-mailadres vandaag" in pages[3]
    assert MembershipApplication.objects.count() == before + 2
