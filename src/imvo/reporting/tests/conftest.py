"""Reporting tests read English strings; the platform's default language is Dutch."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield
