"""A NUL in the query string is turned away at the door (core NulInQueryMiddleware)."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from imvo.core.middleware import NulInQueryMiddleware


def _answer(path: str) -> HttpResponse:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("reached the view")

    return NulInQueryMiddleware(view)(RequestFactory().get(path))


@pytest.mark.parametrize("query", ["q=%00", "q=dha%00ka", "%00=x", "a=1&a=b%00", "country=B%00D"])
def test_a_nul_in_a_key_or_any_value_is_a_400_that_says_why(query: str) -> None:
    response = _answer(f"/supply-chain/public/x/?{query}")
    assert response.status_code == 400
    text = response.content.decode()
    assert "NUL" in text and "reached the view" not in text


@pytest.mark.parametrize("query", ["q=%2500", "q=dhaka", "a=1&a=2", "q=%C3%9F"])
def test_an_ordinary_query_reaches_the_view(query: str) -> None:
    response = _answer(f"/supply-chain/public/x/?{query}")
    assert response.status_code == 200 and response.content == b"reached the view"


@pytest.mark.django_db
def test_every_page_has_the_door(client) -> None:
    """Installed for the whole site: a page and the API answer 400, not 500."""
    assert client.get("/?x=%00").status_code == 400
    assert client.get("/api/public/production-locations/none?q=%00").status_code == 400
