"""The pages: bad input answers with the reason and keeps nothing; scope is a 404."""

from __future__ import annotations

import pytest

from imvo.collective.models import Leverage
from imvo.collective.tests.helpers import share_a_facility
from imvo.core.countries import display_name

pytestmark = pytest.mark.django_db


def test_leverage_form_refuses_bad_input_and_saves_good(client, world) -> None:
    shared = share_a_facility(world)
    url = f"/collective/leverage/{shared.facility.pk}/"
    client.force_login(world.member_a)
    r = client.post(url, {"share_band": "50", "years": "3"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "Purchase share: choose one of 0-1, 1-3, 3-7, 7-20, 20-100." in r.content.decode()
    assert not Leverage.objects.exists()
    r = client.post(url, {"share_band": "3-7", "years": "4", "order_value": "120000"})
    assert r.status_code == 302
    record = Leverage.objects.get()
    assert (record.share_band, record.years, record.order_value) == ("3-7", 4, 120000)
    assert record.covenant == world.covenant_x
    client.force_login(world.member_c)  # does not source there
    assert client.get(url).status_code == 404


def test_register_shows_leverage_and_a_count_never_names(client, world) -> None:
    from imvo.risk import services as risk

    shared = share_a_facility(world)
    risk.create_entry(world.member_b, world.company_b, "child-labour", "Child labour", "BD",
                      scale=4, scope=1, irremediability=4)  # fmt: skip
    client.force_login(world.member_b)
    page = client.get("/risk/register/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "other covenant members sourcing here: 2" in page
    assert "Propose joint action" in page
    assert f"facility={shared.facility.pk}" in page
    assert "Company A" not in page and "Company D" not in page


def test_an_item_answers_only_posts(client, world) -> None:
    client.force_login(world.member_a)
    assert client.get("/collective/items/1/").status_code == 405


def test_the_action_page_reads_each_thing_once_however_many_items(
    client, world, django_assert_num_queries
) -> None:
    """Participations were read five times (the user's part, may it work, may it see
    the members, the invitations, the joined members), the plan links once per item,
    the notices twice. Now: session, user, roles, the action (with its facility,
    proposer and exit plan), participations, findings, items, cost shares and their
    organisations, plan links, verifiers, notices, K, the member's plan actions, and
    whether the member is still a member of the covenant (docs/security.md, T78)."""
    from datetime import timedelta

    from django.utils import timezone

    from imvo.collective.services import cap
    from imvo.collective.tests.helpers import fire_safety_plan

    shared = share_a_facility(world)
    action, item = fire_safety_plan(world.member_a, world.member_b, world.covenant_x,
                                    shared.facility.pk)  # fmt: skip
    cap.check_set_shares(world.member_a, item, {world.company_a.pk: 50, world.company_b.pk: 50})
    url = f"/collective/actions/{action.pk}/"
    client.force_login(world.member_a)
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    finding = cap.check_add_finding(world.member_b, action, "union", "No fire drills")
    for fix in ("Drills every quarter", "Train floor wardens", "Post evacuation maps"):
        cap.check_add_item(world.member_b, finding, fix, "factory",
                           timezone.localdate() + timedelta(days=60))  # fmt: skip
    with django_assert_num_queries(15):
        page = client.get(url).content.decode()
    assert page.count('class="cap-item"') == 4
    client.force_login(world.secretariat_x)  # no plan actions of its own to read
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_action_page_shows_the_cost_estimate_once_in_euros(client, world) -> None:
    """The amount carries its euro sign in the reader's language, so its label says
    no "(EUR)" beside it (the form's input, a plain number, keeps the unit)."""
    from imvo.collective.tests.helpers import fire_safety_plan

    shared = share_a_facility(world)
    action, _item = fire_safety_plan(world.member_a, world.member_b, world.covenant_x,
                                     shared.facility.pk, cost_estimate="4200.50")  # fmt: skip
    client.force_login(world.member_a)
    url = f"/collective/actions/{action.pk}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "<dt>Kostenraming</dt><dd>€ 4.200,50</dd>" in page
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<dt>Cost estimate</dt><dd>€4,200.50</dd>" in english


def test_the_action_page_names_the_facility_country(client, world) -> None:
    """The facility's country reads as a name with its code, in the reader's language,
    not as a bare ISO code ("(BD)")."""
    from imvo.collective.tests.helpers import fire_safety_plan

    shared = share_a_facility(world)
    action, _item = fire_safety_plan(world.member_a, world.member_b, world.covenant_x,
                                     shared.facility.pk)  # fmt: skip
    client.force_login(world.member_a)
    page = client.get(f"/collective/actions/{action.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    facility = page.content.decode().split('id="facility">', 1)[1].split("</dd>", 1)[0]
    code = shared.facility.country
    assert display_name(code) != code
    assert (
        facility
        == f"{shared.facility.name}, {shared.facility.address}, {display_name(code)} ({code})"
    )
