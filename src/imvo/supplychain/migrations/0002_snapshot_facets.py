"""What the public pages show of a whole published snapshot, stored with it:
the number of locations, the country codes and the sectors of the filters
(docs/performance.md). Existing snapshots are summarised from their rows."""

from django.db import migrations, models


def summarise_existing(apps, schema_editor):
    PublishedYear = apps.get_model("supplychain", "PublishedYear")
    PublicLocation = apps.get_model("supplychain", "PublicLocation")
    for published in PublishedYear.objects.all():
        rows = PublicLocation.objects.filter(published_year_id=published.pk).order_by()
        published.location_count = rows.count()
        published.countries = sorted(set(rows.values_list("country", flat=True).distinct()))
        published.sectors = sorted(
            s for s in set(rows.values_list("sector", flat=True).distinct()) if s
        )
        published.save(update_fields=["location_count", "countries", "sectors"])


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publishedyear",
            name="countries",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="publishedyear",
            name="location_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="publishedyear",
            name="sectors",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(summarise_existing, migrations.RunPython.noop),
    ]
