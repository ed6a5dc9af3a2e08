"""Data versions and the signals that bump them (core/cache.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save

from imvo.core import cache


def _bump(**_: Any) -> None:
    cache.bump_data_version("test-groups")


@pytest.mark.django_db
def test_bump_on_change_follows_saves_deletes_and_many_to_many() -> None:
    cache.bump_on_change(_bump, [Group], uid="t", through=[Group.permissions.through])
    cache.bump_on_change(_bump, [Group], uid="t")  # ready() again: still one connection
    try:
        start = cache.data_version("test-groups")
        g = Group.objects.create(name="g")
        assert cache.data_version("test-groups") == start + 1
        g.permissions.add(Permission.objects.first())  # type: ignore[arg-type]
        after_m2m = cache.data_version("test-groups")
        assert after_m2m > start + 1  # pre_add and post_add both bump
        g.delete()
        assert cache.data_version("test-groups") > after_m2m
    finally:
        post_save.disconnect(sender=Group, dispatch_uid=f"t-s-{Group}")
        post_delete.disconnect(sender=Group, dispatch_uid=f"t-d-{Group}")
        m2m_changed.disconnect(
            sender=Group.permissions.through, dispatch_uid=f"t-m-{Group.permissions.through}"
        )
