"""A button's address opened as a page (GET) or sent another method gets a 405
page that says why, not Django's empty 405 (core MethodNotAllowedPageMiddleware)."""

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.test import RequestFactory

from imvo.core.middleware import MethodNotAllowedPageMiddleware


def test_an_empty_405_becomes_a_page_naming_the_methods() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponseNotAllowed(["POST"])

    response = MethodNotAllowedPageMiddleware(view)(RequestFactory().get("/x/decide/"))
    assert response.status_code == 405 and response["Allow"] == "POST"
    text = response.content.decode()
    assert "answers to POST only, and nothing was changed" in text
    assert "niets gewijzigd" in text


def test_a_405_with_its_own_body_is_left_alone() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"Method not allowed", status=405)

    response = MethodNotAllowedPageMiddleware(view)(RequestFactory().put("/api/covenants"))
    assert response.content == b"Method not allowed"


@pytest.mark.django_db
def test_opening_a_button_address_of_the_site_explains_itself(client) -> None:
    """Installed for the whole site: logging out takes POST only (Django's
    LogoutView), and a bookmark or an old link opens it; it was a blank page."""
    response = client.get("/accounts/logout/")
    assert response.status_code == 405
    assert "nothing was changed" in response.content.decode()


@pytest.mark.django_db
def test_the_api_answers_a_wrong_method_in_json_with_the_allow_header(client) -> None:
    """The API's other errors are `{"detail": ...}`; a wrong method was plain text
    "Method not allowed" (Django Ninja). Now JSON too, with Allow kept (imvo.api.ImvoApi)."""
    response = client.delete("/api/covenants", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 405 and response["Allow"] == "GET"
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "Method DELETE is not allowed here; this address takes: GET."
    }
    missing = client.get("/api/covenants/no-such-covenant", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}  # the same shape
    nl = client.post("/api/covenants/no-such-covenant", HTTP_ACCEPT_LANGUAGE="nl")
    assert nl.status_code == 405 and nl["Allow"] == "GET"
    assert "niet toegestaan" in nl.json()["detail"]
    # An address that answers the method is untouched.
    assert client.get("/api/covenants").status_code == 200
