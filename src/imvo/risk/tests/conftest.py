"""Risk tests read English output: the platform's default language is Dutch."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
