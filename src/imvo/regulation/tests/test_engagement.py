from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.regulation.models import EngagementEntry
from imvo.regulation.services import engagement
from imvo.regulation.services.access import NotFound
from imvo.testing import adhere, make_org


def _record(w, **kw):
    fields: dict[str, Any] = dict(when=date(2025, 3, 1), kind="union", stakeholder="Union U", method="meeting",
                  topic="Risk analysis", outcome="ok")  # fmt: skip
    fields.update(kw)
    return engagement.check_record(w.member_a, w.covenant_x, **fields)


def test_the_union_named_sees_and_confirms_the_entry_others_do_not(world) -> None:
    union = make_org("Union U", type="union")
    adhere(world.covenant_x, union)
    union_user = make_user("union_u", union)
    entry = _record(world, stakeholder_organisation=union.pk)
    assert list(EngagementEntry.objects.visible_to(union_user)) == [entry]
    assert list(EngagementEntry.objects.visible_to(world.member_b)) == []
    with pytest.raises(NotFound):
        engagement.check_confirm(world.member_b, entry.pk)
    with pytest.raises(NotFound):
        engagement.check_confirm(world.member_a, entry.pk)  # the member cannot confirm itself
    engagement.check_confirm(union_user, entry.pk)
    entry.refresh_from_db()
    assert entry.confirmed_at and entry.confirmed_by == union_user
    with pytest.raises(DomainError, match="already confirmed"):
        engagement.check_confirm(union_user, entry.pk)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kind": "boss"}, "Choose who"),
        ({"method": "telepathy"}, "Choose how"),
        ({"stakeholder": "  "}, "Name the stakeholder"),
        ({"topic": ""}, "on what"),
        ({"when": timezone.localdate() + timedelta(days=2)}, "in the future"),
    ],
)
def test_an_incomplete_entry_is_refused_with_the_reason(world, change, message) -> None:
    with pytest.raises(DomainError, match=message):
        _record(world, **change)


def test_only_a_union_or_ngo_of_the_covenant_can_be_named(world) -> None:
    elsewhere = make_org("Union Elsewhere", type="union")
    adhere(world.covenant_y, elsewhere)
    with pytest.raises(DomainError, match="not one of this covenant's parties"):
        _record(world, stakeholder_organisation=elsewhere.pk)


def test_links_only_to_the_members_own_risks_and_actions(world) -> None:
    from imvo.risk import services as risk

    theirs = risk.create_entry(world.member_b, world.company_b, "child-labour", "B's risk")
    mine = risk.create_entry(world.member_a, world.company_a, "child-labour", "A's risk")
    entry = _record(world, register_entries=[theirs.pk, mine.pk])
    assert list(entry.register_entries.all()) == [mine]


def test_a_withdrawn_member_can_no_longer_record(world) -> None:
    from imvo.covenants.models import Adherence

    Adherence.objects.filter(covenant=world.covenant_x, organisation=world.company_a).update(
        status=Adherence.Status.WITHDRAWN
    )
    with pytest.raises(PermissionDeniedError):
        _record(world)
