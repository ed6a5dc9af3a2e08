"""The frozen releases the covenant's parties read (`parties.LocationRelease`,
`risk.PartyRelease`) are in the admin, read-only: a platform administrator sees
which release was shown and when; nobody adds, edits or deletes one by hand
(each is made by its rule), and the member fingerprints they keep are not shown.
"""

from __future__ import annotations

import pytest
from django.test import Client

from imvo.accounts.testing import make_user
from imvo.parties.models import LocationRelease
from imvo.risk.models import PartyRelease

pytestmark = pytest.mark.django_db

FINGERPRINT = "fp-0b5e55ed-member"


@pytest.fixture
def admin_client(world) -> Client:
    """The platform administrator of the test world (a superuser, staff)."""
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.admin)
    return client


@pytest.fixture
def releases(world):
    location = LocationRelease.objects.create(
        covenant=world.covenant_x,
        minimum=3,
        members={str(world.company_a.pk): FINGERPRINT, "999": FINGERPRINT},
        figures={"countries": [{"country": "BD", "locations": 4}]},
    )
    party = PartyRelease.objects.create(
        covenant=world.covenant_x,
        minimum=3,
        indicators="ilo-2025",
        members={str(world.company_a.pk): FINGERPRINT},
        pages={"en": {"rows": [{"country": "BD"}]}},
    )
    return {"parties/locationrelease": location, "risk/partyrelease": party}


@pytest.mark.parametrize("path", ["parties/locationrelease", "risk/partyrelease"])
def test_a_release_is_seen_in_the_admin_and_never_changed_there(
    admin_client, releases, world, path
) -> None:
    release = releases[path]
    index = admin_client.get("/admin/").content.decode()
    assert f'href="/admin/{path}/"' in index
    listing = admin_client.get(f"/admin/{path}/")
    assert listing.status_code == 200
    assert world.covenant_x.name in listing.content.decode()
    assert f"/admin/{path}/add/" not in listing.content.decode()  # no "Add" button
    detail = admin_client.get(f"/admin/{path}/{release.pk}/change/")
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "BD" in page and 'name="_save"' not in page  # shown, no Save button
    assert FINGERPRINT not in page and FINGERPRINT not in listing.content.decode()
    before = type(release).objects.values().get(pk=release.pk)
    refused = [
        admin_client.get(f"/admin/{path}/add/"),
        admin_client.post(f"/admin/{path}/add/", {"covenant": world.covenant_x.pk, "minimum": 1}),
        admin_client.post(f"/admin/{path}/{release.pk}/change/", {"minimum": 1}),
        admin_client.post(f"/admin/{path}/{release.pk}/delete/", {"post": "yes"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    bulk = admin_client.post(
        f"/admin/{path}/",
        {"action": "delete_selected", "_selected_action": [release.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert type(release).objects.values().get(pk=release.pk) == before


@pytest.mark.parametrize("path", ["parties/locationrelease", "risk/partyrelease"])
def test_only_the_platform_admin_reaches_them(releases, world, path) -> None:
    release = releases[path]
    member, staff = Client(), Client()
    member.force_login(world.member_a)
    response = member.get(f"/admin/{path}/{release.pk}/change/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    # Staff without the model's permission (a support account) is refused too.
    staff.force_login(make_user("support", is_staff=True))
    assert staff.get(f"/admin/{path}/").status_code == 403
