"""The public report section holds aggregates only."""

from __future__ import annotations

import json

import pytest

from imvo.accounts.testing import make_user
from imvo.duediligence.report import NOT_SHOWN, report_sections
from imvo.duediligence.services import frameworks
from imvo.testing import adhere, make_org

from .helpers import GARMENT_ANSWERS, decided, handed_in

pytestmark = pytest.mark.django_db


def _decided(world, user, answer: str, decision: str) -> None:
    sub = handed_in(user, world.covenant_x, 2025, dict.fromkeys(GARMENT_ANSWERS, answer))
    decided(world, sub, decision)


def test_no_section_without_submissions(world) -> None:
    assert report_sections(world.covenant_x, 2025) == []


def test_small_groups_hide_scores_and_no_company_is_named(world) -> None:
    frameworks.check_install_framework(world.secretariat_x, world.covenant_x, "garment")
    _decided(world, world.member_a, "yes", "meets")
    (section,) = [s.as_dict("duediligence") for s in report_sections(world.covenant_x, 2025)]
    dumped = json.dumps(section, default=str)
    assert "Company A" not in dumped and "Company B" not in dumped
    assert section["charts"] == []  # one assessed member: its score would be disclosed
    assert section["tables"][0]["rows"] == [[2025, 1, 1, NOT_SHOWN, NOT_SHOWN, NOT_SHOWN]]
    assert "met the requirements" not in section["text"]
    d = make_org("Company D")
    adhere(world.covenant_x, d)
    _decided(world, world.member_b, "no", "does_not_meet")
    _decided(world, make_user("member_d", d), "partly", "partly")
    (section,) = [s.as_dict("duediligence") for s in report_sections(world.covenant_x, 2025)]
    labels = {f["label"]: f["value"] for f in section["figures"]}
    assert labels["Assessed members meeting the requirements"] == 33.3
    assert labels["Mean assessed score"] == 50.0
    assert section["charts"][0]["series"][0]["values"] == [33.3]
    assert section["tables"][0]["rows"] == [[2025, 3, 3, 1, 1, 1]]
