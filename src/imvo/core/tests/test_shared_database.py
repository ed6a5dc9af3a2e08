"""A child process started by a test finds the test database from one URL."""

import pytest

from imvo.core.tests.shared_database import shared_database_url


def test_sqlite_is_its_file():
    assert shared_database_url(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/imvo/var/test.sqlite3"}
    ) == ("sqlite:////srv/imvo/var/test.sqlite3")


@pytest.mark.parametrize(
    ("password", "host", "port", "url"),
    [
        ("", "", "", "postgres://imvo@127.0.0.1:5432/test_imvo"),
        ("s3cret", "db.local", "6432", "postgres://imvo:s3cret@db.local:6432/test_imvo"),
    ],
)
def test_postgres_names_user_password_host_and_port(password, host, port, url):
    d = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "test_imvo",
        "USER": "imvo",
        "PASSWORD": password,
        "HOST": host,
        "PORT": port,
    }
    assert shared_database_url(d) == url


@pytest.mark.django_db
def test_without_arguments_it_is_the_database_the_tests_use():
    from django.db import connection

    url = shared_database_url()
    assert url.startswith(("sqlite:///", "postgres://"))
    assert url.endswith(str(connection.settings_dict["NAME"]))
