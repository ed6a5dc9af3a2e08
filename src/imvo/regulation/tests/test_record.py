from __future__ import annotations

import pytest

from imvo.regulation import legal
from imvo.regulation.services import mapping
from imvo.regulation.services.access import NotFound
from imvo.regulation.services.record import datapoints, frozen_record
from imvo.regulation.tests.helpers import handed_in


def test_every_mapped_datapoint_cites_its_source(world) -> None:
    sub = handed_in(world)
    points = datapoints(frozen_record(world.member_a, sub.pk))
    keys = {p.key for p in points}
    # Every question of the framework, and every record part the mapping names.
    assert {"question:policy-adopted", "question:grievance", "question:stakeholder-notes"} <= keys
    assert {"register:entries", "actions:count", "remediation:cases", "complaints:received",
            "engagement:entries"} <= keys  # fmt: skip
    for p in points:
        assert p.source and p.source_url.startswith("/"), p.key
        assert p.mapped.articles and set(p.mapped.articles) <= set(legal.CSDDD_ARTICLES), p.key
        assert set(p.mapped.esrs) <= set(legal.ESRS_S2), p.key
        assert p.mapped.legal_version
    by_key = {p.key: p for p in points}
    assert by_key["question:policy-adopted"].value == "yes"
    assert f"submission {sub.pk}, version 1" in by_key["question:policy-adopted"].source
    assert by_key["register:entries"].value == 1
    assert by_key["engagement:entries"].value == 1
    assert by_key["question:grievance"].mapped.articles == ("14",)


def test_the_record_is_the_frozen_version_not_the_live_data(world) -> None:
    from imvo.risk import services as risk

    sub = handed_in(world)
    risk.create_entry(world.member_a, world.company_a, "child-labour", "Added after hand-in")
    points = {p.key: p for p in datapoints(frozen_record(world.member_a, sub.pk))}
    assert points["register:entries"].value == 1
    assert "Added after hand-in" not in points["register:entries"].detail


def test_a_covenants_own_mapping_wins_and_a_new_question_maps_by_its_step(world) -> None:
    from imvo.duediligence.models import Element
    from imvo.duediligence.services import frameworks

    sub = handed_in(world)
    mapping.check_set_row(
        world.secretariat_x, world.covenant_x, "question:grievance", label="Grievance channel",
        articles="14, 12", esrs="S2-3", oecd_step=6, vsme=True,
    )  # fmt: skip
    points = {p.key: p for p in datapoints(frozen_record(world.member_a, sub.pk))}
    assert points["question:grievance"].mapped.articles == ("14", "12")
    assert points["question:grievance"].label == "Grievance channel"
    fw = sub.framework
    el = Element.objects.get(framework=fw, code="evaluation-communication")
    assert frameworks is not None and el.oecd_step == 4
    m = mapping.lookup(mapping.effective_mapping(world.covenant_x), "question:own-question", 4)
    assert m.articles == ("15",) and m.esrs == ("S2-4", "S2-5")


@pytest.mark.parametrize(
    "articles, esrs, step, message",
    [
        ("", "S2-1", 1, "at least one CSDDD article"),
        ("6", "S2-1", 1, "article 6 is not one"),
        ("7", "S1-1", 1, "S1-1 is not an ESRS S2"),
        ("7", "S2-1", 9, "number from 1 to 6"),
    ],
)
def test_a_wrong_mapping_row_is_refused_with_the_reason(
    world, articles, esrs, step, message
) -> None:
    from imvo.core.errors import DomainError

    with pytest.raises(DomainError, match=message):
        mapping.check_set_row(world.secretariat_x, world.covenant_x, "question:grievance",
                              label="", articles=articles, esrs=esrs, oecd_step=step, vsme=False)  # fmt: skip


def test_only_the_covenants_secretariat_changes_the_mapping(world) -> None:
    from imvo.core.errors import PermissionDeniedError

    for user in (world.member_a, world.secretariat_y):
        with pytest.raises(PermissionDeniedError):
            mapping.check_set_row(user, world.covenant_x, "question:grievance", label="",
                                  articles="14", esrs="S2-3", oecd_step=6, vsme=False)  # fmt: skip


def test_another_company_cannot_read_the_record_and_a_draft_has_none(world) -> None:
    from imvo.duediligence.services import submissions

    sub = handed_in(world)
    with pytest.raises(NotFound):
        frozen_record(world.member_b, sub.pk)
    with pytest.raises(NotFound):
        frozen_record(world.secretariat_y, sub.pk)
    draft = submissions.check_start_submission(world.member_b, world.covenant_x, 2025)
    with pytest.raises(NotFound, match="not been handed in"):
        frozen_record(world.member_b, draft.pk)
