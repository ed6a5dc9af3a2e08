"""Translation for the committee: a translator bound to one case (audited)
translates the complaint and its messages; the translations are stored
encrypted beside the originals and the committee reads both."""

import pytest
from django.db import connection

from imvo.accounts.testing import make_user
from imvo.complaints.grants import grants_for
from imvo.complaints.models import AuditEntry, Translation
from imvo.complaints.services import access, following, translation, workflow
from imvo.complaints.tests.helpers import case_action, file
from imvo.core.errors import DomainError, PermissionDeniedError

BENGALI = "কারখানার মালিক তিন মাস ধরে আমাদের বেতন দেয়নি।"
REPLY_BN = "আমরা এখনও অপেক্ষা করছি।"
ENGLISH = "The factory owner has not paid our wages for three months."


def _bengali_case(world):
    c = file(
        world, text=BENGALI, language="bn", name="Amina Begum", contact="+8801711000000"
    ).complaint
    following.check_complainant_reply(c, REPLY_BN)
    return c


def test_case_officer_binds_a_translator_who_translates_and_the_committee_reads_both(world, client):
    c = _bengali_case(world)
    tr = make_user("translator_t", first_name="Amina", last_name="Rahman")
    # Nobody but a handler binds a translator; the translator sees nothing before.
    with pytest.raises(access.CaseNotFoundError):
        translation.check_request_translation(world.member_b, c, tr, "en")
    with pytest.raises(DomainError, match="written in that language"):
        translation.check_request_translation(world.secretariat_x, c, tr, "bn")
    assert not access.complaints_visible_to(tr).exists()
    with pytest.raises(PermissionDeniedError, match="Only the translator"):
        translation.check_add_translation(tr, c, None, ENGLISH)

    translation.check_request_translation(world.secretariat_x, c, tr, "en")
    entry = AuditEntry.objects.filter(action="translator-granted").get()
    assert entry.complaint_id_ref == c.pk and '"member": "translator_t"' in entry.detail
    assert entry in grants_for(c.covenant_id)  # listed on the committee page
    assert access.role_in_case(tr, c) == "translator"

    items = translation.translation_items(c, "en")
    assert [i.original for i in items] == [BENGALI, REPLY_BN]
    translation.check_add_translation(tr, c, None, ENGLISH)
    translation.check_add_translation(tr, c, items[1].message_id, "We are still waiting.")
    translation.check_add_translation(tr, c, None, ENGLISH + " (corrected)")  # replaces
    assert Translation.objects.filter(complaint=c).count() == 2
    # Encrypted at rest, beside the original, which stays as written.
    with connection.cursor() as cur:
        cur.execute("SELECT text_enc FROM complaints_translation")
        assert all("wages" not in row[0] for row in cur.fetchall())
    c.refresh_from_db()
    assert c.description == BENGALI

    view = workflow.case_view(world.committee_x, c, "committee")
    assert view["data"]["description"] == BENGALI
    assert view["description_translations"][0].text == ENGLISH + " (corrected)"
    assert [t.text for m in view["case_messages"] for t in m["translations"]] == [
        "We are still waiting."
    ]
    client.force_login(world.committee_x)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert BENGALI in page and ENGLISH in page and "We are still waiting." in page
    assert "Amina Rahman" in page and "translator_t" not in page  # by name, not log-in name
    # Found by the translated words in the case list.
    qs = access.complaints_visible_to(world.committee_x)
    found = access.filter_cases(world.committee_x, qs, access.CaseFilter(text="wages"))
    assert [r["c"] for r in found] == [c]


def test_the_translator_sees_the_texts_only_and_cannot_act(world, client):
    c = _bengali_case(world)
    tr = make_user("translator_t")
    translation.check_request_translation(world.committee_x, c, tr, "en")
    client.force_login(tr)
    page = client.get(f"/complaints/cases/{c.reference}/").content.decode()
    assert BENGALI in page and REPLY_BN in page
    assert "Amina Begum" not in page and "+8801711000000" not in page
    assert 'id="move"' not in page and "evidence" not in page.lower()
    r = case_action(client, c, "translate", text=ENGLISH)
    assert r.status_code == 302
    assert Translation.objects.get(complaint=c, message=None).text == ENGLISH
    # Steps, messages, recusals and evidence are for the handlers.
    for action in ("move", "message", "recuse", "assign", "share"):
        r = case_action(
            client,
            c,
            action,
            to_state="acknowledged",
            reason="x" * 20,
            body="hi",
            member=world.committee_x.pk,
            officer=world.secretariat_x.pk,
        )
        assert r.status_code == 404, action
    with pytest.raises(access.CaseNotFoundError):
        workflow.evidence_for(tr, c, "translator", 1)
    # Another case stays closed to them; ending the access closes this one.
    other = file(world).complaint
    assert client.get(f"/complaints/cases/{other.reference}/").status_code == 404
    translation.check_revoke_translator(world.secretariat_x, c, tr)
    assert client.get(f"/complaints/cases/{c.reference}/").status_code == 404
    assert AuditEntry.objects.filter(action="translator-revoked", complaint_id_ref=c.pk).exists()
    # The translations stay for the committee.
    assert Translation.objects.filter(complaint=c).count() == 1


def test_translator_request_through_the_case_page(world, client):
    c = _bengali_case(world)
    tr = make_user("translator_t", world.company_b, first_name="Amina", last_name="Rahman")
    client.force_login(world.secretariat_x)
    r = case_action(client, c, "request_translation", translator="nobody", language="en")
    assert "Choose an active account as the translator." in r.content.decode()
    r = case_action(client, c, "request_translation", translator=tr.pk, language="en")
    assert r.status_code == 302
    page = client.get(f"/complaints/committee/{c.covenant.slug}/").content.decode()
    assert "Translator granted: Amina Rahman (en)" in page and "translator_t" not in page
