"""PublicLocation.published_year without an index of its own: the table's other
indexes all start with it. With the year-only index, PostgreSQL at its default
random_page_cost read a search's later pages (OFFSET 800) through it and sorted
the matching rows, instead of the covering order index in the list's order
(docs/performance.md). Drops one index; writes no rows."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0006_public_location_folded_keys"),
    ]

    operations = [
        migrations.AlterField(
            model_name="publiclocation",
            name="published_year",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="locations",
                to="supplychain.publishedyear",
            ),
        ),
    ]
