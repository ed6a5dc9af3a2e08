"""Bilingual fields: the reader's language, falling back to the other one."""

from __future__ import annotations

from django.utils import translation

from imvo.core.i18n import Bilingual, pick


class Thing:
    name_nl = "Kleding"
    name_en = "Garments"
    description_nl = "Alleen Nederlands"
    description_en = ""
    name = Bilingual()
    description = Bilingual()


def test_bilingual_reads_the_active_language_and_falls_back():
    thing = Thing()
    with translation.override("nl"):
        assert thing.name == "Kleding" == pick(thing, "name")
    with translation.override("en"):
        assert thing.name == "Garments"
        assert thing.description == "Alleen Nederlands"
    with translation.override("fr"):
        assert thing.name == "Garments"


def test_bilingual_on_the_class_is_the_descriptor():
    assert isinstance(Thing.name, Bilingual)
    assert Thing.name.field == "name"
