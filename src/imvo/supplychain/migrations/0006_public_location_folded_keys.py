"""The public locations' search and sort columns folded (core.text.fold) instead of
lower-cased: "İstanbul".lower() is "i̇stanbul" (a combining dot after the i), which
neither "istanbul" nor "ISTANBUL" found; "Kırklareli" kept its dotless ı; "Guimarães"
was not found by "guimaraes". Publishing writes the folded forms from now on; this
rewrites the rows of snapshots written before, and the links' copy of search_key.
Only rows whose folded form differs are written (most names are ASCII already)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

from imvo.core.text import fold

SEPARATOR = "\x1f"  # PublicLocation.SEARCH_SEPARATOR
BATCH = 2000


def refold(apps, schema_editor):
    PublicLocation = apps.get_model("supplychain", "PublicLocation")
    PublicLocationMember = apps.get_model("supplychain", "PublicLocationMember")
    last = 0
    while True:
        rows = list(
            PublicLocation.objects.filter(pk__gt=last)
            .order_by("pk")
            .only(
                "name",
                "name_norm",
                "address",
                "sector",
                "sort_name",
                "address_key",
                "search_key",
                "sector_key",
            )[:BATCH]  # fmt: skip
        )
        if not rows:
            return
        last = rows[-1].pk
        changed = []
        for row in rows:
            sort_name, address_key = fold(row.name), fold(row.address)
            search_key = SEPARATOR.join((sort_name, row.name_norm, address_key))
            sector_key = fold(row.sector)
            new = (sort_name, address_key, search_key, sector_key)
            if new != (row.sort_name, row.address_key, row.search_key, row.sector_key):
                row.sort_name, row.address_key, row.search_key, row.sector_key = new
                changed.append(row)
        if changed:
            PublicLocation.objects.bulk_update(
                changed, ["sort_name", "address_key", "search_key", "sector_key"]
            )
            PublicLocationMember.objects.filter(location_id__in=[r.pk for r in changed]).update(
                search_key=Subquery(
                    PublicLocation.objects.filter(pk=OuterRef("location_id")).values("search_key")[
                        :1
                    ]
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0005_public_location_covering_order"),
    ]

    operations = [
        migrations.RunPython(refold, migrations.RunPython.noop, elidable=True),
    ]
