"""A database halfway through squashed migrations is refused before migrate runs."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from imvo.core.squashed_migrations import check_no_half_applied_squash, half_applied_squashes


def test_an_up_to_date_database_passes(db):
    assert half_applied_squashes(connection) == []
    assert check_no_half_applied_squash(databases=["default"]) == []


def test_a_database_missing_one_squashed_step_is_named(db):
    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("supplychain", "0005_disclosure_versions")
    assert half_applied_squashes(connection) == [("supplychain", "0001_initial")]
    (error,) = check_no_half_applied_squash(databases=["default"])
    assert error.id == "imvo.E001" and "supplychain.0001_initial" in error.msg
    assert "f33e7b8" in error.msg


def test_migrate_stops_before_touching_a_half_upgraded_database(db):
    MigrationRecorder(connection).record_unapplied("covenants", "0004_kpi_comments")
    try:
        # As `imvo migrate` runs it from the shell: with the system checks.
        call_command("migrate", verbosity=0, interactive=False, skip_checks=False)
    except SystemCheckError as e:
        assert "imvo.E001" in str(e)
    else:
        raise AssertionError("migrate ran on a half-upgraded database")
