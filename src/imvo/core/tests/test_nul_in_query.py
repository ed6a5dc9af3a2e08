"""A NUL in the query string is turned away at the door (core NulInQueryMiddleware)."""

import json
from urllib.parse import urlencode

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


@pytest.mark.parametrize(
    "field,seen",
    [
        ({"title": "a\x00b"}, {"title": ["ab"]}),
        ({"x\x00": "1"}, {"x": ["1"]}),
        ({"a": ["1", "b\x00"]}, {"a": ["1", "b"]}),
    ],
)
def test_a_nul_in_a_form_field_is_removed_before_the_view(field, seen) -> None:
    """Removed, not refused: the person keeps what they typed (a complainant's text)."""

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(json.dumps(dict(request.POST.lists())))

    for request in (
        RequestFactory().post("/collective/propose/", field),  # multipart
        RequestFactory().post(
            "/collective/propose/",
            urlencode(field, doseq=True),
            content_type="application/x-www-form-urlencoded",
        ),
    ):
        response = NulInQueryMiddleware(view)(request)
        assert response.status_code == 200 and json.loads(response.content) == seen


def test_a_file_with_nul_bytes_and_ordinary_fields_reach_the_view() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    def view(request: HttpRequest) -> HttpResponse:
        upload = request.FILES.get("file")
        assert upload is not None
        return HttpResponse(upload.read())

    request = RequestFactory().post(
        "/supply-chain/upload/",
        {"year": "2025", "file": SimpleUploadedFile("l.xlsx", b"PK\x03\x04\x00\x00")},
    )
    response = NulInQueryMiddleware(view)(request)
    assert response.status_code == 200 and response.content == b"PK\x03\x04\x00\x00"


@pytest.mark.parametrize(
    "body,refused",
    [
        ('{"text": "a\\u0000b"}', True),
        ('[{"country": "BD"}, {"name": ["x", "\\u0000"]}]', True),
        ('{"a\\u0000": 1}', True),
        ('{"text": "a\\\\u0000b"}', False),  # a backslash, then the letters u0000
        ('{"text": "ordinary"}', False),
        ("not json \\u0000", False),  # the API's own parsing answers
    ],
)
def test_a_nul_in_a_json_text_is_a_400_in_json(body: str, refused: bool) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("reached the view")

    request = RequestFactory().post("/api/risk/scan", body, content_type="application/json")
    response = NulInQueryMiddleware(view)(request)
    if refused:
        assert response.status_code == 400
        assert "NUL" in json.loads(response.content)["detail"]
    else:
        assert response.content == b"reached the view"
