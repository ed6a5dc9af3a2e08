"""The due-diligence tests read English messages, whatever the default language."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from imvo.duediligence.services import frameworks


@pytest.fixture(autouse=True)
def _english(client) -> Iterator[None]:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def fw(world):
    """The garment framework, installed by covenant X's secretariat."""
    return frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
