"""Refuse to migrate a database left halfway through migrations that were squashed.

Before the first release the migrations of each app were squashed into one
(``replaces`` lists what each squashed migration stands for). A database that
applied all of them is up to date and one that applied none is new; one that
applied only some would have tables created twice or not at all. Django would
stop with a database error halfway; this check stops first and says what to do.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader


def half_applied_squashes(connection: Any) -> list[tuple[str, str]]:
    """The squashed migrations whose old migrations this database applied only in part."""
    loader = MigrationLoader(connection, ignore_no_migrations=True, replace_migrations=False)
    applied = set(loader.applied_migrations)
    half: list[tuple[str, str]] = []
    for key, migration in loader.disk_migrations.items():
        if not migration.replaces:
            continue
        names = {key, *(tuple(name) for name in migration.replaces)}
        done = names & applied
        if done and done != names:
            half.append(key)
    return sorted(half)


def refusal(half: list[tuple[str, str]]) -> str:
    names = ", ".join(f"{app}.{name}" for app, name in half)
    return (
        f"The database applied only part of the migrations that {names} squashed. "
        "Migrate it fully with the version before the squash (commit f33e7b8), then "
        "with this one (docs/operations.md, 'Upgrading from before the migration squash')."
    )


@checks.register(checks.Tags.database)
def check_no_half_applied_squash(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for alias in databases or []:
        if alias != DEFAULT_DB_ALIAS:
            continue
        for app, name in half_applied_squashes(connections[alias]):
            errors.append(checks.Error(refusal([(app, name)]), id="imvo.E001"))
    return errors
