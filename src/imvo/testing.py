"""Builders and personas for tests (a pytest plugin, see the root conftest.py).

Builders are small functions, not large fixtures: each test makes what it reads.
Personas cover every role: anonymous, member of company A / company B,
secretariat of covenant X / covenant Y, committee member, platform admin
(healthchecks' alice, bob and charlie in spirit). This module sits above every
app, so it may build with all of them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from imvo.accounts.testing import make_user

_seq = itertools.count(1)


def make_org(name: str | None = None, type: str = "company", **kw: Any):
    from imvo.covenants.models import Organisation

    n = next(_seq)
    name = name or f"Organisation {n}"
    return Organisation.objects.create(name=name, slug=f"org-{n}", type=type, **kw)


def make_covenant(slug: str | None = None, **kw: Any):
    from imvo.covenants.models import Covenant
    from imvo.covenants.services import ensure_process_steps

    n = next(_seq)
    fields = {
        "slug": slug or f"covenant-{n}",
        "name_nl": f"Convenant {n}",
        "name_en": f"Covenant {n}",
        "sector": "garment",
        "phase": "implementation",
        "start_date": date(2024, 7, 1),
        "end_date": date(2029, 6, 30),
    }
    fields.update(kw)
    c = Covenant.objects.create(**fields)
    ensure_process_steps(c)
    return c


def adhere(covenant, organisation, role: str = "party", **kw: Any):
    from imvo.covenants.models import Adherence

    return Adherence.objects.create(covenant=covenant, organisation=organisation, role=role, **kw)


def make_party(covenant, name: str | None = None, type: str = "company", **kw: Any):
    """An organisation of this type that is a party to the covenant."""
    org = make_org(name, type, **kw)
    adhere(covenant, org)
    return org


def make_agreement(covenant, **kw: Any):
    from imvo.covenants.models import Agreement

    fields = {
        "number": str(next(_seq)),
        "title_nl": "Productielocaties openbaar",
        "title_en": "Disclose production locations",
        "kpi_name_nl": "Leden die locaties publiceren",
        "kpi_name_en": "Members disclosing locations",
        "kpi_unit": "%",
        "baseline": Decimal(0),
        "baseline_date": date(2024, 7, 1),
        "target": Decimal(100),
        "deadline": date(2028, 7, 1),
    }
    fields.update(kw)
    return Agreement.objects.create(covenant=covenant, **fields)


def make_secretariat(covenant, username: str | None = None, **kw: Any):
    """A user who is the secretariat of this covenant."""
    from imvo.accounts.services import grant_role

    user = make_user(username, **kw)
    grant_role(user, covenant, "secretariat")
    return user


@contextmanager
def reports_published_without_pdf() -> Iterator[None]:
    """Reports published inside are stored with a one-page stand-in PDF, not the rendered
    one (weasyprint: about 0.7 CPU-seconds per edition, two editions per report).

    For set-ups that show pages and never read the published PDF (the public pages of
    `imvo.tests.public_pages`, the access matrix, which only asks who may download it).
    The rendering itself is checked by reporting's tests (`test_report.py`: title page,
    contents, sections, no file or URL fetched; `test_pages.py`: the public PDF)."""
    from unittest import mock

    from imvo.core.testing import one_page_pdf

    stand_in = one_page_pdf()
    target = "imvo.reporting.services.publication.render_report_pdf"
    with mock.patch(target, lambda *args, **kwargs: stand_in):
        yield


def client_for(user: Any, language: str | None = None) -> Client:
    """A test client signed in as `user`, asking for pages in `language` (as a
    browser's Accept-Language; None: the platform's default, Dutch)."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    client.force_login(user)
    return client


@dataclass
class World:
    """Two covenants, two companies in covenant X, one in Y, and a user for every role."""

    covenant_x: Any
    covenant_y: Any
    company_a: Any
    company_b: Any
    company_c: Any
    member_a: Any
    member_b: Any
    member_c: Any
    secretariat_x: Any
    secretariat_y: Any
    committee_x: Any
    recused_committee_x: Any
    admin: Any

    def personas(self) -> dict[str, Any]:
        from django.contrib.auth.models import AnonymousUser

        return {
            "anonymous": AnonymousUser(),
            "member_a": self.member_a,
            "member_b": self.member_b,
            "secretariat_x": self.secretariat_x,
            "secretariat_y": self.secretariat_y,
            "committee_x": self.committee_x,
            "recused_committee_x": self.recused_committee_x,
            "admin": self.admin,
        }


def build_world() -> World:
    from imvo.accounts import services as roles

    x = make_covenant(slug="covenant-x")
    y = make_covenant(slug="covenant-y", sector="banking")
    a = make_org("Company A")
    b = make_org("Company B")
    c = make_org("Company C")
    adhere(x, a)
    adhere(x, b)
    adhere(y, c)
    w = World(
        covenant_x=x,
        covenant_y=y,
        company_a=a,
        company_b=b,
        company_c=c,
        member_a=make_user("member_a", a),
        member_b=make_user("member_b", b),
        member_c=make_user("member_c", c),
        secretariat_x=make_secretariat(x, "secretariat_x"),
        secretariat_y=make_secretariat(y, "secretariat_y"),
        committee_x=make_user("committee_x"),
        recused_committee_x=make_user("recused_committee_x"),
        admin=make_user("admin", is_superuser=True, is_staff=True),
    )
    roles.grant_role(w.committee_x, x, "committee")
    roles.grant_role(w.recused_committee_x, x, "committee")
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()
