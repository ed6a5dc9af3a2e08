import pytest
from django.core.cache import cache
from django.utils import translation

from imvo.complaints import crypto


@pytest.fixture(autouse=True)
def _complaints_keys(tmp_path, monkeypatch, settings):
    """Each test gets its own key file and evidence folder, and empty rate counters."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("IMVO_COMPLAINTS_KEY_FILE", str(tmp_path / "keys" / "complaints.key"))
    crypto.forget_keys()
    cache.clear()
    translation.activate("en")  # service messages are asserted in English
    yield
    crypto.forget_keys()


@pytest.fixture
def client(client):
    """Pages in English unless a test picks a language (the site default is Dutch)."""
    client.cookies["django_language"] = "en"
    return client
