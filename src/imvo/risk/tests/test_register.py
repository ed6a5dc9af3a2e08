"""Prioritisation on worked examples (UNGP 14 and 24), overrides with reasons, and scoping."""

import pytest

from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.risk import services
from imvo.risk.models import PriorityOverride, RegisterEntry
from imvo.risk.testing import severe_and_mild_risk


def test_severe_irremediable_unlikely_outranks_mild_almost_certain():
    # Forced labour in a quarry: very serious (4), many (3), irreversible (4); unlikely (1).
    severe = services.compute_priority(4, 3, 4, 1)
    # Late overtime pay: moderate (2), a group (2), fully remediable (1); almost certain (4).
    mild = services.compute_priority(2, 2, 1, 4)
    assert severe == pytest.approx(66.7) and mild == pytest.approx(41.7)
    assert severe > mild


def test_irremediable_character_decides_between_otherwise_equal_risks():
    # Same scale and scope; the irreversible one is less likely yet comes first (UNGP 24).
    assert services.compute_priority(3, 3, 4, 2) > services.compute_priority(3, 3, 2, 3)


def test_likelihood_breaks_ties_at_equal_severity():
    assert services.compute_priority(3, 2, 2, 4) > services.compute_priority(3, 2, 2, 1)
    assert services.compute_priority(2, 3, 2, 3) == services.compute_priority(3, 2, 2, 3)


def test_bounds_and_bad_scales():
    assert services.compute_priority(1, 1, 1, 1) == 0
    assert services.compute_priority(4, 4, 4, 4) == 100
    with pytest.raises(DomainError, match=r"Scale must be 1\.\.4"):
        services.compute_priority(5, 1, 1, 1)
    with pytest.raises(DomainError, match=r"Likelihood must be 1\.\.4"):
        services.compute_priority(1, 1, 1, 0)


@pytest.mark.django_db
def test_register_orders_by_priority_and_snapshot_is_jsonable(world):
    import json

    severe, mild = severe_and_mild_risk(world)
    entries = list(services.register_entries(world.company_a))
    assert entries == [severe, mild]
    snap = json.loads(json.dumps(services.entry_as_dict(severe)))
    assert (
        snap["severity"] == 11
        and snap["country"] == "IN"
        and snap["involvement"] == "directly_linked"
    )


@pytest.mark.django_db
def test_override_needs_reason_is_kept_and_can_be_withdrawn(world):
    e = services.create_entry(
        world.member_a,
        world.company_a,
        "living-wage",
        "Wages",
        scale=2,
        scope=2,
        irremediability=1,
        likelihood=2,
    )
    computed = e.computed_priority
    with pytest.raises(DomainError, match="needs a reason"):
        services.update_entry(world.member_a, e, override_priority=90)
    services.update_entry(
        world.member_a, e, override_priority=90, override_reason="Strike and dismissals"
    )
    e.refresh_from_db()
    assert (e.priority, e.computed_priority, e.override_reason) == (
        90,
        computed,
        "Strike and dismissals",
    )
    # Changing the scores later keeps the hand-set priority in use, and the computed one moves.
    services.update_entry(world.member_a, e, likelihood=4)
    e.refresh_from_db()
    assert e.priority == 90 and e.computed_priority > computed
    with pytest.raises(DomainError, match="withdrawn"):
        services.update_entry(world.member_a, e, clear_override=True)
    services.update_entry(
        world.member_a, e, clear_override=True, override_reason="Resolved by agreement"
    )
    e.refresh_from_db()
    assert e.override_priority is None and e.priority == e.computed_priority
    history = list(
        PriorityOverride.objects.filter(entry=e).order_by("at", "id").values_list("new", "reason")
    )
    assert history == [(90, "Strike and dismissals"), (None, "Resolved by agreement")]


@pytest.mark.django_db
def test_other_company_cannot_change_or_see_entries(world):
    e = services.create_entry(world.member_a, world.company_a, "child-labour", "Cotton picking")
    with pytest.raises(PermissionDeniedError):
        services.update_entry(world.member_b, e, likelihood=4)
    with pytest.raises(PermissionDeniedError):
        services.create_entry(world.member_b, world.company_a, "child-labour", "x")
    assert not RegisterEntry.objects.visible_to(world.member_b).filter(pk=e.pk).exists()
    assert not RegisterEntry.objects.visible_to(world.secretariat_x).exists()
    assert RegisterEntry.objects.visible_to(world.admin).filter(pk=e.pk).exists()


@pytest.mark.django_db
def test_register_from_scan_suggests_scores_with_reasons(world):
    services.add_sourcing(
        world.member_a, world.company_a, "Bangladesh", "garment", "T-shirts", workers=900
    )
    services.add_sourcing(
        world.member_a, world.company_a, "Netherlands", "garment", "Design", workers=100
    )
    created = services.register_from_scan(world.member_a, world.company_a, top=5)
    assert len(created) == 5 and all(e.country == "BD" for e in created)
    fa = next(e for e in created if e.theme_code == "freedom-of-association")
    assert fa.scope == 4  # 90% of the company's workers are in Bangladesh
    assert any(r["source"] == "ITUC Global Rights Index" for r in fa.reasons)
    assert fa.title == "Freedom of association - Bangladesh"
    # Running it again does not duplicate risks already in the register.
    assert services.register_from_scan(world.member_a, world.company_a, top=5) == []


@pytest.mark.django_db
def test_hand_sourcing_validates_country(world):
    with pytest.raises(DomainError, match="'Narnia' is not recognised"):
        services.add_sourcing(world.member_a, world.company_a, "Narnia")
    with pytest.raises(PermissionDeniedError):
        services.add_sourcing(world.member_b, world.company_a, "BD")
    with pytest.raises(DomainError, match="nothing to scan"):
        services.register_from_scan(world.member_a, world.company_a)


@pytest.mark.django_db
def test_suggested_response_follows_involvement_and_leverage(world):
    e = services.create_entry(world.member_a, world.company_a, "living-wage", "Wages")
    assert "leverage" in services.suggested_response(e).lower()
    e.members_sharing = 3
    assert "3 other covenant member" in services.suggested_response(e)
    e.involvement = RegisterEntry.Involvement.CAUSE
    assert services.suggested_response(e).startswith("Cease or prevent the impact")


@pytest.mark.django_db
def test_covenant_analysis_and_report_section_are_aggregates(world):
    from imvo.risk.report import report_sections

    services.add_sourcing(world.member_a, world.company_a, "BD", "garment", "Shirts")
    services.add_sourcing(world.member_b, world.company_b, "CN", "garment", "Jackets")
    a = services.covenant_analysis(world.covenant_x)
    assert a["companies"] == 2 and a["rows"] == 2
    assert {c["country"] for c in a["countries"]} == {"BD", "CN"}
    [section] = [s.as_dict("risk") for s in report_sections(world.covenant_x, 2025)]
    assert section["key"] == "risk-sector" and section["sources"]
    flat = repr(section)
    assert "Company A" not in flat and "Company B" not in flat
    # Two companies, K = 5: too few to show anything derived from their sourcing.
    assert "BD" not in flat and "fewer than 5" in section["text"]
    assert section["charts"] == [] and section["tables"] == []
