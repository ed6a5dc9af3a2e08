"""Scoping by role, by page, by API and by guessing ids (personas from imvo.testing)."""

from datetime import date

import pytest
from django.urls import reverse

from imvo.accounts.models import ApiToken
from imvo.core.testing import PASSWORD
from imvo.testing import make_agreement

pytestmark = pytest.mark.django_db


def _client_for(client, user):
    if user is not None and user.is_authenticated:
        client.force_login(user)
    return client


MANAGE_PAGES = [
    "covenants:manage",
    "covenants:edit",
    "covenants:adherence_add",
    "covenants:organisation_add",
    "covenants:agreement_add",
]

# Who may open the management pages of covenant X.
EXPECTED_MANAGE_X = {
    "anonymous": 302,  # to the login page
    "member_a": 404,
    "member_b": 404,
    "secretariat_x": 200,
    "secretariat_y": 404,
    "committee_x": 404,
    "recused_committee_x": 404,
    "admin": 200,
}


@pytest.mark.parametrize("page", MANAGE_PAGES)
@pytest.mark.parametrize("persona", list(EXPECTED_MANAGE_X))
def test_management_pages_are_scoped_to_the_covenants_secretariat(client, world, page, persona):
    user = world.personas()[persona]
    r = _client_for(client, user).get(reverse(page, args=[world.covenant_x.slug]))
    assert r.status_code == EXPECTED_MANAGE_X[persona]


def test_guessing_ids_of_another_covenants_objects_gives_404(client, world):
    agreement_y = make_agreement(world.covenant_y)
    adherence_y = world.covenant_y.adherences.first()
    client.force_login(world.secretariat_x)
    # Objects of covenant Y addressed through covenant X's URLs are not found.
    for name, pk in [
        ("covenants:agreement_edit", agreement_y.pk),
        ("covenants:measurement_add", agreement_y.pk),
        ("covenants:adherence_change", adherence_y.pk),
    ]:
        assert client.get(reverse(name, args=[world.covenant_x.slug, pk])).status_code == 404
        r = client.post(
            reverse(name, args=[world.covenant_x.slug, pk]),
            {"date": "2025-01-01", "value": "5", "source": "x", "status": "withdrawn"},
        )
        assert r.status_code == 404
    assert agreement_y.measurements.count() == 0


def test_member_edits_only_its_own_organisation(client, world):
    client.force_login(world.member_a)
    r = client.get(reverse("covenants:my_organisation"))
    assert r.status_code == 200 and "Company A" in r.content.decode()
    assert "Company B" not in r.content.decode()
    client.post(
        reverse("covenants:my_organisation"), {"website": "https://a.example", "description": "A"}
    )
    world.company_a.refresh_from_db()
    world.company_b.refresh_from_db()
    assert world.company_a.website == "https://a.example"
    assert world.company_b.website == ""


def test_member_cannot_change_adherence_or_record_kpi(client, world):
    a = make_agreement(world.covenant_x)
    client.force_login(world.member_a)
    r = client.post(
        reverse("covenants:measurement_add", args=[world.covenant_x.slug, a.pk]),
        {"date": "2025-01-01", "value": "99", "source": "me"},
    )
    assert r.status_code == 404
    assert a.measurements.count() == 0


def test_api_token_required_and_scoped(client, world):
    a = make_agreement(world.covenant_x)
    url = f"/api/agreements/{a.pk}/measurements"
    body = {"date": "2025-03-31", "value": "40", "source": "assessment"}
    assert client.post(url, body, content_type="application/json").status_code == 401
    _, member_token = ApiToken.issue(world.member_a)
    r = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {member_token}"
    )
    assert r.status_code == 403
    _, sec_y = ApiToken.issue(world.secretariat_y)
    r = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {sec_y}"
    )
    assert r.status_code == 403
    _, sec_x = ApiToken.issue(world.secretariat_x)
    r = client.post(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {sec_x}"
    )
    assert r.status_code == 201
    assert a.measurements.get().source == "assessment"


def test_revoked_or_unknown_token_is_refused(client, world):
    token, raw = ApiToken.issue(world.secretariat_x)
    assert (
        client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["username"]
        == "secretariat_x"
    )
    token.revoked = True
    token.save()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer imvo_guess").status_code == 401


def test_tokens_are_stored_only_as_hashes(world):
    token, raw = ApiToken.issue(world.admin)
    assert raw not in token.key_hash and len(token.key_hash) == 64
    assert ApiToken.lookup(raw) == token


def test_repeated_failed_logins_lock_the_account(client, world):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "member_a", "password": "wrong"})
    r = client.post(reverse("accounts:login"), {"username": "member_a", "password": PASSWORD})
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_public_pages_need_no_login(client, world):
    assert client.get("/").status_code == 200
    assert client.get(world.covenant_x.get_absolute_url()).status_code == 200
    assert client.get("/api/covenants").status_code == 200


def test_adherence_history_is_listed_for_the_secretariat(client, world):
    from imvo.covenants.services import change_adherence

    adherence = world.covenant_x.adherences.get(organisation=world.company_b)
    change_adherence(world.secretariat_x, adherence, "suspended", date(2025, 2, 1), "formal notice")
    client.force_login(world.secretariat_x)
    html = client.get(
        reverse("covenants:adherence_change", args=[world.covenant_x.slug, adherence.pk])
    ).content.decode()
    assert "formal notice" in html


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["%C2%B2", "%D9%A1", "9" * 25])
def test_a_covenant_key_that_is_no_whole_number_is_a_404(client, world, key):
    """ "²" passed str.isdigit() and failed int(): the public API answered 500."""
    assert client.get(f"/api/covenants/{key}").status_code == 404
    assert client.get(f"/api/covenants/{world.covenant_x.pk}").status_code == 200
