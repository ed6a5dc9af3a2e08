"""A NUL in a form field that a view reads itself is removed at the door (core
NulInQueryMiddleware), on SQLite and on PostgreSQL alike."""

import pytest


@pytest.mark.django_db
def test_a_joint_action_titled_with_a_nul_is_saved_without_it_not_a_500(world) -> None:
    """Found on PostgreSQL: the proposal view reads `request.POST` itself, so the
    NUL reached the database, which refuses it (a 500)."""
    from imvo.supplychain.tests.helpers import factory_of_a_and_b_made_public
    from imvo.testing import client_for

    factory_of_a_and_b_made_public(world)  # K members disclose: members may propose
    c = client_for(world.member_a, "en")
    c.raise_request_exception = False
    r = c.post(
        "/collective/propose/",
        {"covenant": world.covenant_x.pk, "title": "Living\x00wage", "country": "BD"},
    )
    assert r.status_code == 302, r.status_code
    from imvo.collective.models import JointAction

    assert JointAction.objects.get().title == "Livingwage"
