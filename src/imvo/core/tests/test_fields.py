"""core.fields: the shared field declarations deconstruct as the hand-written ones did
(so no migration changes; `imvo makemigrations --check` proves it for every model)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link, status_field


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


def test_acting_user_may_keep_a_default_it_would_set() -> None:
    field = acting_user(blank=False, related_name=None)
    assert field.blank is False and field.null is True
    assert field.remote_field.related_name is None


def test_optional_link_is_emptied_when_its_row_goes() -> None:
    _name, _path, args, kwargs = optional_link("covenants.Theme", related_name="+").deconstruct()
    hand_written = models.ForeignKey(
        "covenants.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assert (args, kwargs) == tuple(hand_written.deconstruct()[2:])
    assert kwargs["on_delete"] is models.SET_NULL


class _Status(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


def test_status_field_takes_its_choices_from_the_default() -> None:
    field = status_field(_Status.OPEN)
    hand_written = models.CharField(
        _("status"), max_length=20, choices=_Status.choices, default=_Status.OPEN
    )
    assert field.deconstruct()[2:] == hand_written.deconstruct()[2:]
    assert field.choices == [("open", "Open"), ("closed", "Closed")]
