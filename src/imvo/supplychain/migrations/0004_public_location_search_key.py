"""One search column on the public locations (docs/performance.md): sort_name,
name_norm and address_key joined by PublicLocation.SEARCH_SEPARATOR, as publishing
writes it, and its copy on their member links (the search's K check). Existing
snapshots are filled from those columns by one UPDATE each (they are lower-cased
already, so no SQL LOWER(), whose rules differ from Python's)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat

SEPARATOR = "\x1f"  # PublicLocation.SEARCH_SEPARATOR when this was written


def fill(apps, schema_editor):
    PublicLocation = apps.get_model("supplychain", "PublicLocation")
    PublicLocation.objects.update(
        search_key=Concat(
            "sort_name",
            Value(SEPARATOR),
            "name_norm",
            Value(SEPARATOR),
            "address_key",
            output_field=models.TextField(),
        )
    )
    PublicLocationMember = apps.get_model("supplychain", "PublicLocationMember")
    PublicLocationMember.objects.update(
        search_key=Subquery(
            PublicLocation.objects.filter(pk=OuterRef("location_id")).values("search_key")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0003_public_location_address_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="publiclocation",
            name="search_key",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="publiclocationmember",
            name="search_key",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
