"""The one visibility rule (own organisation, or a covenant one is secretariat of),
as the filter it builds from a user's role facts."""

from django.db.models import Q

from imvo.core.scoping import NOBODY, RoleFacts, scope_q


def test_a_platform_admin_sees_every_row():
    assert scope_q(RoleFacts(signed_in=True, platform_admin=True)) is None


def test_a_member_sees_its_organisation_and_a_secretariat_its_covenants():
    member = RoleFacts(signed_in=True, organisation=7)
    assert scope_q(member) == Q(covenant_id__in=frozenset()) | Q(organisation_id=7)
    secretariat = RoleFacts(signed_in=True, managed_covenants=frozenset({3}))
    assert scope_q(secretariat) == Q(covenant_id__in=frozenset({3}))


def test_field_names_follow_the_model():
    q = scope_q(RoleFacts(signed_in=True, organisation=2), "row__list__covenant_id", "owner_id")
    assert q == Q(row__list__covenant_id__in=frozenset()) | Q(owner_id=2)


def test_nobody_is_not_signed_in():
    assert not NOBODY.signed_in and not NOBODY.platform_admin


def test_a_model_may_keep_rows_from_the_secretariat():
    """A member's draft, say: the secretariat sees only what was handed in."""
    handed_in = ~Q(status="draft")
    member = RoleFacts(signed_in=True, organisation=7, managed_covenants=frozenset({3}))
    q = scope_q(member, secretariat_sees=handed_in)
    assert q == (Q(covenant_id__in=frozenset({3})) & handed_in) | Q(organisation_id=7)
    assert (
        scope_q(RoleFacts(signed_in=True, platform_admin=True), secretariat_sees=handed_in) is None
    )
