"""The public list's order index carries search_key, sector_key and id on PostgreSQL
(INCLUDE), so a filtered page is an index-only scan (docs/performance.md). Django's
state keeps the plain index of PublicLocation.Meta (same name and key; SQLite has no
INCLUDE). A published snapshot is vacuumed soon after it is written (the visibility
map an index-only scan needs): autovacuum counts inserts against a fixed threshold
on the snapshot tables, not a fifth of all years' rows."""

from django.db import migrations

INDEX = "sc_publoc_order"
KEY = "published_year_id, country, sort_name, facility_id"
TABLES = ("supplychain_publiclocation", "supplychain_publiclocationmember")


def covering(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = "supplychain_publiclocation"
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON {table} ({KEY}) INCLUDE (search_key, sector_key, id)"
    )
    for name in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {name} SET (autovacuum_vacuum_insert_threshold = 2000, "
            "autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_threshold = 2000, "
            "autovacuum_vacuum_scale_factor = 0)"
        )


def plain(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"CREATE INDEX {INDEX} ON supplychain_publiclocation ({KEY})")
    for name in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {name} RESET (autovacuum_vacuum_insert_threshold, "
            "autovacuum_vacuum_insert_scale_factor, autovacuum_vacuum_threshold, "
            "autovacuum_vacuum_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("supplychain", "0004_public_location_search_key"),
    ]

    operations = [migrations.RunPython(covering, plain)]
