"""Every place a model stores files is a registered storage location (so backups include it)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from imvo.core import storage


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def test_there_are_file_fields_to_check():
    assert len(_file_fields()) >= 3


@pytest.mark.parametrize(
    "model,field", _file_fields(), ids=lambda x: getattr(x, "__name__", getattr(x, "name", ""))
)
def test_every_file_field_writes_into_a_registered_location(model, field):
    instance = model()
    # A callable upload_to may read related objects: give it stand-ins with ids.
    for f in model._meta.get_fields():
        if isinstance(f, models.ForeignKey):
            setattr(instance, f.attname, 1)
            related = f.related_model()
            related.pk = 1
            for g in related._meta.get_fields():
                if isinstance(g, models.ForeignKey):
                    setattr(related, g.attname, 1)
            setattr(instance, f.name, related)
    name = field.generate_filename(instance, "example.pdf")
    path = Path(field.storage.path(name))
    loc = storage.location_of(path)
    assert loc is not None, (
        f"{model._meta.label}.{field.name} stores files in {path.parent}, which no storage "
        "location claims: register it in the app's AppConfig.ready() (imvo.core.storage)"
    )


def test_unregistered_files_are_found(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "supplier-lists").mkdir(parents=True)
    (tmp_path / "media" / "supplier-lists" / "a.csv").write_text("x")
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "complaints.key").write_text("k")
    (tmp_path / "imvo.sqlite3").write_text("db")
    stray = tmp_path / "somewhere" / "new.bin"
    stray.parent.mkdir()
    stray.write_text("lost in a backup")
    assert storage.unregistered_files() == [stray]


def test_locations_have_distinct_roots():
    roots = [loc.root for loc in storage.locations()]
    assert len(roots) == len(set(roots))
    assert {"complaint-evidence", "supplier-lists"} <= {loc.name for loc in storage.locations()}
