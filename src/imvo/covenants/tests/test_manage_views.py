"""The secretariat's management forms: a save returns to the covenant's manage page
with a message; a refusal is shown on the form, which keeps what was typed."""

import pytest

from imvo.covenants.models import Adherence
from imvo.testing import make_org

pytestmark = pytest.mark.django_db


def test_adding_an_organisation_returns_to_the_manage_page(client, world):
    org = make_org("Arisa", type="ngo")
    client.force_login(world.secretariat_x)
    r = client.post(
        "/manage/covenant-x/adherences/new/",
        {"organisation": org.pk, "role": "party", "since": "2025-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert r.redirect_chain == [("/manage/covenant-x/", 302)]
    assert "Organisation added." in r.content.decode()
    assert Adherence.objects.filter(covenant=world.covenant_x, organisation=org).exists()


def test_a_refusal_shows_on_the_field_it_is_about(client, world):
    client.force_login(world.secretariat_x)
    r = client.post(
        "/manage/covenant-x/adherences/new/",
        {"organisation": world.company_a.pk, "role": "party", "since": "2025-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 200
    assert r.context["form"].errors["organisation"] == [
        "Company A already takes part in this covenant; change its status instead."
    ]


def test_registering_an_organisation_goes_on_to_adding_it(client, world):
    client.force_login(world.secretariat_x)
    r = client.post(
        "/manage/covenant-x/organisations/new/",
        {"name": "Arisa", "type": "ngo", "country": "NL"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 302
    assert r["Location"] == "/manage/covenant-x/adherences/new/"


def test_a_new_slug_lands_on_the_renamed_covenants_page(client, world):
    client.force_login(world.secretariat_x)
    r = client.post(
        "/manage/covenant-x/edit/",
        {
            "name_nl": "Convenant X",
            "name_en": "Covenant X",
            "slug": "covenant-x-renamed",
            "sector": "garment",
            "phase": "implementation",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 302
    assert r["Location"] == "/manage/covenant-x-renamed/"
