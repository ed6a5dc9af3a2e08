"""core.fields: the shared field declarations deconstruct as the hand-written ones did."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from imvo.core.fields import acting_user


def test_acting_user_is_an_optional_user_that_outlives_its_account() -> None:
    _name, _path, args, kwargs = acting_user().deconstruct()
    assert args == []
    assert kwargs["to"] == settings.AUTH_USER_MODEL.lower()
    assert kwargs["on_delete"] is models.SET_NULL
    assert kwargs["null"] is True and kwargs["blank"] is True
    assert kwargs["related_name"] == "+"


def test_acting_user_passes_further_options_on() -> None:
    field = acting_user(verbose_name="confirmed by", help_text="The union that confirmed it.")
    assert field.verbose_name == "confirmed by"
    assert field.help_text == "The union that confirmed it."
