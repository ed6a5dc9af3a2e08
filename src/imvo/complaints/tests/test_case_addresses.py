"""A case page, its files and its downloads are addressed by the case's random
reference, not by its database id (docs/security.md, T39): ids count up in
filing order, and an id address answering 404 to some and 403 or 200 to others
told whether a number was a case. An id address is no case at all: 404 for
everyone, the case's own committee included."""

from typing import Any

from imvo.complaints.evidence import store_evidence
from imvo.complaints.models import Complaint
from imvo.complaints.services import committee
from imvo.complaints.tests.helpers import admit, file
from imvo.core.testing import one_page_pdf


def _main(response: Any) -> str:
    """The page's own content (the frame carries a per-request nonce)."""
    html: str = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_case_pages_are_addressed_by_reference_and_id_addresses_are_no_case(world, client):
    c = file(world, respondent=world.company_a).complaint
    ev = store_evidence(c, "photo.pdf", one_page_pdf()).evidence
    assert ev is not None
    committee.check_recuse(world.committee_x, c, world.recused_committee_x, "conflict of interest")
    c = admit(world.committee_x, c)
    assert c.reference and c.reference != str(c.pk)

    client.force_login(world.committee_x)
    page = client.get(f"/complaints/cases/{c.reference}/")
    assert page.status_code == 200 and c.reference in page.content.decode()
    listed = client.get("/complaints/cases/").content.decode()
    assert f'href="/complaints/cases/{c.reference}/"' in listed
    assert f'href="/complaints/cases/{c.pk}/"' not in listed
    assert f"/complaints/cases/{c.reference}/evidence/{ev.pk}/" in page.content.decode()
    assert client.get(f"/complaints/cases/{c.reference}/evidence/{ev.pk}/").status_code == 200

    id_addresses = [
        f"/complaints/cases/{c.pk}/",
        f"/complaints/cases/{c.pk}/evidence/{ev.pk}/",
        f"/complaints/cases/{c.pk}/shared/1/",
        f"/complaints/cases/{c.pk}/answers/{ev.pk}/",
    ]
    never = c.pk + 1000  # a number that is no case
    assert not Complaint.objects.filter(pk=never).exists()
    for user in (
        world.committee_x,  # sees the case by its reference
        world.secretariat_x,
        world.member_a,  # the company, after admissibility
        world.recused_committee_x,  # 403 by reference, but 404 by id as for all
        world.member_b,
        world.secretariat_y,
        world.admin,
    ):
        client.force_login(user)
        for url in id_addresses:
            assert client.get(url).status_code == 404, (user.username, url)
        # A number that is a case and one that is none answer alike.
        assert _main(client.get(f"/complaints/cases/{c.pk}/")) == _main(
            client.get(f"/complaints/cases/{never}/")
        )
        assert client.post(f"/complaints/cases/{c.pk}/", {"action": "message"}).status_code == 404

    # Someone without access gets, for the real reference, what a made-up one gets.
    client.force_login(world.member_b)
    theirs = client.get(f"/complaints/cases/{c.reference}/")
    made_up = client.get("/complaints/cases/2026-ZZZZZZ/")
    assert theirs.status_code == made_up.status_code == 404
    assert _main(theirs) == _main(made_up)
