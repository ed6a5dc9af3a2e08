"""The API's language without Accept-Language is English (machine clients send
none); an explicit Accept-Language or the language cookie still chooses
(core.middleware.ApiDefaultLanguageMiddleware)."""

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_an_api_error_without_accept_language_is_in_english(client) -> None:
    response = client.delete("/api/covenants")
    assert response.status_code == 405
    assert response.json() == {
        "detail": "Method DELETE is not allowed here; this address takes: GET."
    }
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_an_explicit_dutch_request_still_gets_dutch(client) -> None:
    response = client.delete("/api/covenants", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.json() == {
        "detail": "De methode DELETE is hier niet toegestaan; dit adres neemt: GET."
    }
    assert response["Content-Language"] == "nl"
    # The language chosen on the site (cookie) is an explicit choice too.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "niet toegestaan" in client.delete("/api/covenants").json()["detail"]


@pytest.mark.django_db
def test_pages_without_accept_language_stay_dutch(client) -> None:
    """Only the API changes: a page keeps the platform's default (Dutch)."""
    response = client.get("/")
    assert response["Content-Language"] == "nl"
