"""The action plan: SMART actions, progress with evidence, remediation cases."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from imvo.core.errors import DomainError
from imvo.core.testing import one_page_pdf
from imvo.duediligence.models import (
    Action,
    RemediationCase,
)
from imvo.duediligence.services import access, action_plan, submissions
from imvo.testing import make_agreement

from .helpers import GARMENT_ANSWERS, LATER, answer_all

pytestmark = pytest.mark.django_db


def test_action_plan_and_progress(world, fw, tmp_path, settings) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    ag = make_agreement(world.covenant_x)
    other_ag = make_agreement(world.covenant_y)
    a = action_plan.check_save_action(
        world.member_a,
        world.covenant_x,
        agreements=[ag],
        what="Living-wage pilot",
        owner="CSR manager",
        start=timezone.localdate() - timedelta(days=100),
        deadline=timezone.localdate() + timedelta(days=100),
        target="2 suppliers pay a living wage",
        budget=Decimal(5000),
    )
    assert action_plan.action_status(a) == "behind"  # half the time gone, 0% done
    with pytest.raises(DomainError, match="agreements"):
        action_plan.check_save_action(world.member_a, world.covenant_x, a, agreements=[other_ag])
    with pytest.raises(DomainError, match="SMART"):
        action_plan.check_save_action(
            world.member_a, world.covenant_x, what="x", owner="", deadline=LATER, target="t"
        )
    upd = action_plan.check_add_progress(
        world.member_a,
        a,
        50,
        "Two suppliers signed up.",
        SimpleUploadedFile("minutes.pdf", one_page_pdf(), content_type="application/pdf"),
    )
    a.refresh_from_db()
    assert a.status == Action.Status.IN_PROGRESS
    assert action_plan.action_status(a) == "on_track"
    assert upd.evidence.read().startswith(b"%PDF-")
    assert str(upd.evidence.name).endswith("minutes.pdf")
    with pytest.raises(DomainError, match=r"evil\.exe"):
        action_plan.check_add_progress(
            world.member_a, a, 60, "x", SimpleUploadedFile("evil.exe", b"MZ")
        )
    # Any bytes named .pdf are no evidence: the content must be a PDF (core.uploads).
    with pytest.raises(DomainError, match=r"fake\.pdf does not look like a \.pdf file"):
        action_plan.check_add_progress(
            world.member_a, a, 60, "x", SimpleUploadedFile("fake.pdf", b"MZ\x90 not a pdf")
        )
    with pytest.raises(access.NotFound):
        action_plan.check_add_progress(world.member_b, a, 60, "not mine")
    # The action plan is part of the submitted snapshot.
    sub = submissions.check_start_submission(
        world.member_a, world.covenant_x, timezone.localdate().year
    )
    answer_all(world.member_a, sub, GARMENT_ANSWERS)
    v = submissions.check_submit(world.member_a, sub)
    assert [x["what"] for x in v.data["action_plan"]] == ["Living-wage pilot"]
    assert v.data["action_plan"][0]["agreements"] == [ag.number]


def test_remediation_case(world, fw) -> None:
    remedied: dict[str, Any] = {
        "what_happened": "Unpaid overtime",
        "affected": "40 workers",
        "status": "remedied",
    }
    with pytest.raises(DomainError, match="remedy"):
        action_plan.check_save_case(world.member_a, world.covenant_x, remedy="", **remedied)
    c = action_plan.check_save_case(world.member_a, world.covenant_x, remedy="Back pay", **remedied)
    assert list(RemediationCase.objects.visible_to(world.member_b)) == []
    assert list(RemediationCase.objects.visible_to(world.member_a)) == [c]


def test_budgets_are_shown_grouped_in_the_readers_language(client, world, fw) -> None:
    """The plan and the action page show "€ 1.500.000" in Dutch and "€1,500,000" in
    English (cents only when there are any); the version's JSON keeps the plain number."""
    from django.urls import reverse

    a = action_plan.check_save_action(
        world.member_a,
        world.covenant_x,
        agreements=[make_agreement(world.covenant_x)],
        what="Living-wage pilot",
        owner="CSR manager",
        deadline=LATER,
        target="2 suppliers pay a living wage",
        budget=Decimal(1500000),
    )
    client.force_login(world.member_a)
    pages = (
        reverse("duediligence:plan", args=[world.covenant_x.slug]),
        reverse("duediligence:action", args=[a.pk]),
    )
    for url in pages:
        nl = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        assert "€ 1.500.000<" in nl, url  # (the edit form keeps value="1500000.00")
        en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "€1,500,000<" in en, url
    a.budget = Decimal("1500.50")
    a.save()
    nl = client.get(pages[1], HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "€ 1.500,50<" in nl
    # The amount carries its euro sign: the label beside it says no "(EUR)" again.
    assert "<dt>Budget</dt><dd>€ 1.500,50</dd>" in nl
    assert action_plan.action_as_dict(a)["budget"] == "1500.50"
