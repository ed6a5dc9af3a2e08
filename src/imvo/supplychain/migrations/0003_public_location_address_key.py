"""The lower-cased address of a public location, for the search (docs/performance.md);
existing snapshots filled from their addresses with Python's str.lower, as
publishing writes it."""

from django.db import migrations, models


def fill(apps, schema_editor):
    PublicLocation = apps.get_model("supplychain", "PublicLocation")
    batch = []
    for loc in PublicLocation.objects.only("pk", "address").iterator(chunk_size=5000):
        loc.address_key = loc.address.lower()
        batch.append(loc)
        if len(batch) >= 5000:
            PublicLocation.objects.bulk_update(batch, ["address_key"])
            batch = []
    if batch:
        PublicLocation.objects.bulk_update(batch, ["address_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0002_snapshot_facets"),
    ]

    operations = [
        migrations.AddField(
            model_name="publiclocation",
            name="address_key",
            field=models.CharField(blank=True, max_length=1000),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
