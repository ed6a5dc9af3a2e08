"""A string a partly translated language lacks shows in English (its msgid),
not in Dutch, the default language (core.language_fallback); Dutch readers and
readers who chose no language keep Dutch."""

import pytest
from django.utils import translation

# In the accounts app's nl catalogue, not in its fr one.
MISSING_IN_FR = "Check your e-mail"
# In both (fr: "Se connecter").
TRANSLATED_IN_FR = "Log in"


def test_a_string_missing_in_french_is_english_not_dutch() -> None:
    with translation.override("fr"):
        assert translation.gettext(MISSING_IN_FR) == "Check your e-mail"
        assert translation.gettext(TRANSLATED_IN_FR) == "Se connecter"
    with translation.override("nl"):
        assert translation.gettext(MISSING_IN_FR) == "Kijk in uw e-mail"


@pytest.mark.django_db
def test_the_page_of_a_french_reader_has_no_dutch(client) -> None:
    html = client.get("/accounts/password-reset/sent/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Check your e-mail</h1>" in html
    assert "Kijk in uw e-mail" not in html
    assert "Se connecter" in html  # what French has stays French


@pytest.mark.django_db
@pytest.mark.parametrize("accept_language", ["nl", None])
def test_dutch_and_no_language_keep_dutch(client, accept_language) -> None:
    headers = {"HTTP_ACCEPT_LANGUAGE": accept_language} if accept_language else {}
    html = client.get("/accounts/password-reset/sent/", **headers).content.decode()
    assert "<h1>Kijk in uw e-mail</h1>" in html
