"""A location that is not on the public list is described with its country picked
by name, not typed as an ISO code."""

from __future__ import annotations

import pytest

from imvo.parties.models import Signal
from imvo.testing import client_for

pytestmark = pytest.mark.django_db


def test_a_signal_outside_the_public_list_takes_a_country_by_name(world, fnv) -> None:
    c = client_for(fnv)
    url = "/parties/covenant-x/signals/new/?q=Nergens"
    assert '<option value="BD">Bangladesh</option>' in c.get(url).content.decode()
    r = c.post(url, {"title": "Ontslagen", "description": "Elf werknemers.",
                     "location": "Spinnerij", "country": "BD", "search": "Nergens"})  # fmt: skip
    assert r.status_code == 302
    assert Signal.objects.get().country == "BD"
    assert "Spinnerij, Bangladesh (BD)" in c.get("/parties/signals/").content.decode()
