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


@override_settings(IMVO_APPLY_LIMIT=3, IMVO_APPLY_EMAIL_LIMIT=100)
def test_applications_are_limited_per_client_address(world):
    before = MembershipApplication.objects.count()
    for n in range(3):
        r = _post(world, f"eve{n}@example.org", "203.0.113.40", n=n)
        assert "Application received" in r.content.decode()
    page = _post(world, "eve9@example.org", "203.0.113.40", n=9).content.decode()
    assert "Too many attempts from your connection" in page
    page = _post(world, "eve8@example.org", "203.0.113.40", language="nl", n=8).content.decode()
    assert "Te veel pogingen vanaf uw verbinding" in page
    assert MembershipApplication.objects.count() == before + 3
    assert "Application received" in _post(world, "x@example.org", "198.51.100.9").content.decode()


@override_settings(IMVO_APPLY_LIMIT=100, IMVO_APPLY_EMAIL_LIMIT=2)
def test_applications_are_limited_per_contact_email(world):
    before = MembershipApplication.objects.count()
    for n in range(2):
        r = _post(world, "Eve@Example.org", f"203.0.113.{50 + n}", n=n)
        assert "Application received" in r.content.decode()
    page = _post(world, "eve@example.org", "203.0.113.60", n=5).content.decode()
    assert "Too many applications with this e-mail address today" in page
    page = _post(world, "eve@example.org", "203.0.113.61", language="nl", n=6).content.decode()
    assert "Te veel aanmeldingen met dit e-mailadres vandaag" in page
    assert MembershipApplication.objects.count() == before + 2
