"""Domain rules of covenants: KPI progress, governance balance, adherence history."""

from datetime import date
from decimal import Decimal

import pytest

from imvo.accounts.testing import make_user
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants import services
from imvo.covenants.models import Adherence, Seat
from imvo.testing import adhere, make_agreement, make_covenant, make_org, make_secretariat

pytestmark = pytest.mark.django_db


def _agreement_with(values, baseline=0, target=100, start=date(2024, 1, 1), end=date(2028, 1, 1)):
    a = make_agreement(
        make_covenant(),
        baseline=Decimal(baseline),
        target=Decimal(target),
        baseline_date=start,
        deadline=end,
    )
    for on, v in values:
        a.measurements.create(date=on, value=Decimal(v), source="test")
    return a


def test_progress_halfway_in_time_and_value_is_on_track():
    a = _agreement_with([(date(2025, 12, 31), 50)])
    p = services.kpi_progress(a, today=date(2026, 1, 1))
    assert p.percent == 50
    assert p.expected_percent == 50
    assert p.status == "on_track"


def test_progress_behind_when_value_lags_time():
    a = _agreement_with([(date(2026, 6, 1), 20)])
    p = services.kpi_progress(a, today=date(2027, 1, 1))  # 75% of the time gone
    assert p.status == "behind"
    assert p.percent == 20


def test_falling_target_counts_reduction_as_progress():
    # 240 -> 60 hazardous-chemical facilities: 150 is halfway.
    a = _agreement_with([(date(2025, 12, 1), 150)], baseline=240, target=60)
    p = services.kpi_progress(a, today=date(2026, 1, 1))
    assert p.percent == 50
    assert p.status == "on_track"


def test_latest_measurement_wins_and_target_reached_is_achieved():
    a = _agreement_with([(date(2025, 1, 1), 40), (date(2026, 1, 1), 100), (date(2024, 6, 1), 10)])
    p = services.kpi_progress(a, today=date(2026, 2, 1))
    assert p.latest == Decimal(100)
    assert p.status == "achieved"


def test_no_measurements_means_no_data():
    a = _agreement_with([])
    assert services.kpi_progress(a, today=date(2025, 1, 1)).status == "no_data"


def _seats(*groups, chair=True):
    seats = [Seat(group=g) for g in groups]
    if chair:
        seats.append(Seat(group="independent", is_chair=True))
    return seats


def test_representation_equal_with_independent_chair():
    rep = services.representation(
        _seats("business", "business", "unions", "unions", "government", "government")
    )
    assert rep.equal and rep.has_independent_chair
    assert rep.seats_per_group == {"business": 2, "unions": 2, "government": 2}


def test_representation_unequal_when_one_side_has_more_seats():
    rep = services.representation(_seats("business", "business", "ngos", "government"))
    assert not rep.equal


def test_withdrawal_keeps_history_and_needs_a_reason():
    c = make_covenant()
    sec = make_secretariat(c)
    org = make_org()
    adherence = services.add_adherence(sec, c, org, "party", since=date(2024, 7, 1))
    with pytest.raises(DomainError):
        services.change_adherence(sec, adherence, "withdrawn", on=date(2025, 1, 1))
    services.change_adherence(sec, adherence, "suspended", on=date(2025, 1, 1), reason="No plan")
    services.change_adherence(sec, adherence, "withdrawn", on=date(2025, 6, 1), reason="Left")
    adherence.refresh_from_db()
    assert adherence.status == Adherence.Status.WITHDRAWN
    assert adherence.until == date(2025, 6, 1)
    history = [(h.from_status, h.to_status) for h in adherence.changes.all()]
    assert history == [("", "active"), ("active", "suspended"), ("suspended", "withdrawn")]


def test_only_the_covenants_secretariat_records_measurements():
    c = make_covenant()
    sec_other = make_secretariat(make_covenant())
    a = make_agreement(c)
    with pytest.raises(PermissionDeniedError):
        services.record_measurement(sec_other, a, date(2025, 1, 1), Decimal(5), "x")
    member = make_user(organisation=make_org())
    adhere(c, member.organisation)
    with pytest.raises(PermissionDeniedError):
        services.record_measurement(member, a, date(2025, 1, 1), Decimal(5), "x")


def test_measurement_needs_source_and_no_future_date():
    c = make_covenant()
    sec = make_secretariat(c)
    a = make_agreement(c)
    with pytest.raises(DomainError):
        services.record_measurement(sec, a, date(2025, 1, 1), Decimal(5), "  ")
    with pytest.raises(DomainError):
        services.record_measurement(sec, a, date(2999, 1, 1), Decimal(5), "report")


def test_creating_a_covenant_adds_process_steps_and_makes_creator_secretariat():
    from imvo.accounts.services import is_secretariat

    sec = make_secretariat(make_covenant())
    c = services.create_covenant(
        sec, slug="metals-2", name_nl="Metaal", name_en="Metals", sector="metals"
    )
    assert c.steps.count() == len(services.PROCESS_STEPS) == 12
    assert is_secretariat(sec, c)
    with pytest.raises(PermissionDeniedError):
        services.create_covenant(
            make_user(organisation=make_org()), slug="x", name_nl="x", name_en="x", sector="other"
        )


def test_secretariat_registers_organisations_with_unique_slugs(world):
    from imvo.covenants.models import Organisation

    first = services.register_organisation(
        world.secretariat_x, world.covenant_x, Organisation(name="FNV Mondiaal", type="union")
    )
    second = services.register_organisation(
        world.secretariat_x, world.covenant_x, Organisation(name="FNV Mondiaal", type="union")
    )
    assert (first.slug, second.slug) == ("fnv-mondiaal", "fnv-mondiaal-2")
    with pytest.raises(PermissionDeniedError):
        services.register_organisation(
            world.member_a, world.covenant_x, Organisation(name="Shadow NGO", type="ngo")
        )
    assert not Organisation.objects.filter(name="Shadow NGO").exists()


def test_a_covenants_usable_themes_are_the_oecd_chapters_and_its_own_sub_themes():
    from imvo.covenants.models import Covenant, Theme

    x, y, z = make_covenant(), make_covenant(), make_covenant()
    chapter = Theme.objects.create(code="ch", name_nl="H", name_en="Chapter")
    own_x = Theme.objects.create(code="x", name_nl="X", name_en="X", covenant=x, parent=chapter)
    own_y = Theme.objects.create(code="y", name_nl="Y", name_en="Y", covenant=y, parent=chapter)
    Theme.objects.create(code="z", name_nl="Z", name_en="Z", covenant=z, parent=chapter)
    chapters = set(Theme.objects.filter(covenant=None))  # the OECD chapters, seeded
    assert chapter in chapters
    assert set(Theme.objects.usable_in(x)) == chapters | {own_x}
    both = Covenant.objects.filter(pk__in=[x.pk, y.pk])
    assert set(Theme.objects.usable_in(both)) == chapters | {own_x, own_y}


def test_a_covenants_organisations_by_role_and_active_adherence():
    from imvo.covenants.models import Organisation

    x, y = make_covenant(), make_covenant()
    party, stakeholder, withdrawn = make_org("P"), make_org("S"), make_org("W")
    adhere(x, party)
    adhere(x, stakeholder, role=Adherence.Role.STAKEHOLDER)
    adhere(x, withdrawn, status=Adherence.Status.WITHDRAWN)
    # Active in another covenant does not make an active party of this one.
    adhere(y, withdrawn)
    adhere(y, stakeholder)
    q = Organisation.objects.in_covenant
    assert list(q(x)) == [party, stakeholder, withdrawn]
    assert list(q(x, role=Adherence.Role.PARTY)) == [party, withdrawn]
    assert list(q(x, role=Adherence.Role.PARTY, active=True)) == [party]
    assert list(q(x, active=True)) == [party, stakeholder]
    assert list(q(y, role=Adherence.Role.PARTY)) == [stakeholder, withdrawn]


def test_visible_covenant_reads_the_covenant_as_the_orm_does():
    """The public pages' covenant lookup (one statement written out) gives the
    model the ORM gives, every field converted alike; None for an unknown slug
    and for one holding NUL (PostgreSQL refuses NUL in a query)."""
    from django.contrib.auth.models import AnonymousUser

    c = make_covenant()
    c.start_date, c.end_date = date(2024, 1, 1), date(2028, 6, 30)
    c.description_nl = "Één 'convenant' & <meer>"
    c.save()
    for user in (AnonymousUser(), make_user("visible-reader")):
        got = services.visible_covenant(user, c.slug)
        orm = services.covenants_visible_to(user).get(slug=c.slug)
        assert got is not None and not got._state.adding
        fields = [f.attname for f in type(c)._meta.concrete_fields]
        assert [getattr(got, f) for f in fields] == [getattr(orm, f) for f in fields]
        assert got.name == orm.name and got.term_years == orm.term_years
        assert services.visible_covenant(user, c.slug + "-no") is None
        assert services.visible_covenant(user, c.slug + "\x00") is None
