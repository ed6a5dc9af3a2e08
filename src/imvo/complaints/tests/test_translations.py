"""The complaint flow is fully translated in every shipped language, and the
case-handling pages in Dutch. Uses the platform's translation check
(`imvo.core.translation_check`, on main); skipped on a checkout without it."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from imvo.complaints.services import answers, following, respondents, workflow
from imvo.complaints.tests.helpers import admit, assign_officer, file, move, walk_to_decision
from imvo.core.testing import one_page_pdf
from imvo.testing import adhere, make_org

check = pytest.importorskip(
    "imvo.core.translation_check", reason="imvo.core.translation_check is not on this checkout"
)

# Strings of base.html belong to the core app's catalogue, not to this app.
BASE = {
    "Skip to content",
    "Main",
    "Covenants",
    "My work",
    "Log out",
    "Log in",
    "Language",
    "Switch",
    "API",
    "IMVO Covenant Platform",
    "IMVO covenants rest on the OECD Guidelines for Multinational Enterprises and the UN "
    "Guiding Principles on Business and Human Rights.",
}
ENDONYMS = {name for _, name in settings.LANGUAGES}


@pytest.mark.parametrize("lang", [c for c, _ in settings.LANGUAGES if c != "en"])
def test_complaint_flow_fully_translated(client, world, lang):
    filed = file(world)
    c = walk_to_decision(world.committee_x, filed.complaint)
    workflow.check_post_message(world.committee_x, c, "hello", to_complainant=True)
    following.check_complainant_reply(c, "thanks", [("letter.pdf", one_page_pdf())])
    # A case ruled inadmissible and one withdrawn and closed: their grounds show too.
    ruled = file(world)
    r = move(world.secretariat_x, ruled.complaint, "acknowledged")
    r = move(world.secretariat_x, assign_officer(r), "admissibility")
    # The committee names the company concerned: the follow page says so, unnamed.
    respondents.check_name_respondents(
        world.committee_x, r, [world.company_b.pk], "Its supplier list."
    )
    move(world.committee_x, r, "inadmissible", ground="not_member")
    gone = file(world)
    following.check_complainant_reply(gone.complaint, "I stop here.", withdraw=True)
    move(world.secretariat_x, gone.complaint, "closed", ground="withdrawn")
    client.cookies.pop("django_language", None)
    h = {"HTTP_ACCEPT_LANGUAGE": lang}
    form = {"covenant": world.covenant_x.slug, "complainant_type": "affected"}
    with check.recording() as seen:
        client.get("/complaints/new/", **h)
        client.post("/complaints/new/", {"action": "submit"}, **h)
        client.post("/complaints/new/", {"action": "search", "location_query": "zz"}, **h)
        client.post(
            "/complaints/new/",
            {**form, "action": "submit", "description": "A long enough text"},
            **h,
        )
        client.post(
            "/complaints/new/",
            {
                **form,
                "action": "submit",
                "description": "A long enough text",
                "evidence": [SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nbroken")],
            },
            **h,
        )
        client.post(
            "/complaints/follow/",
            {
                "receipt": filed.receipt,
                "action": "reply",
                "message": "a photo",
                "evidence": [SimpleUploadedFile("y.png", b"\x89PNG\r\n\x1a\nbroken")],
            },
            **h,
        )
        client.get("/complaints/follow/", **h)
        client.post("/complaints/follow/", {"receipt": "x"}, **h)
        client.post("/complaints/follow/", {"receipt": filed.receipt}, **h)
        client.post("/complaints/follow/", {"receipt": filed.receipt, "action": "reply"}, **h)
        client.post(
            "/complaints/follow/",
            {"receipt": filed.receipt, "action": "reply", "withdraw": "1"},
            **h,
        )
        client.post("/complaints/follow/", {"receipt": ruled.receipt}, **h)
        client.post("/complaints/follow/", {"receipt": gone.receipt}, **h)
        client.get(f"/complaints/figures/{world.covenant_x.slug}/", **h)
        client.get("/complaints/outcomes/", **h)
        client.get(f"/complaints/register/{world.covenant_x.slug}/", **h)
    gaps = check.untranslated(seen, lang) - ENDONYMS - BASE
    assert not gaps, f"untranslated in {lang}: {gaps}"


def test_case_pages_fully_translated_in_dutch(client, world):
    c = file(world, respondent=world.company_a).complaint
    c = admit(world.committee_x, c)
    workflow.check_post_message(world.committee_x, c, "hello", to_company=True)
    respondents.check_name_respondents(
        world.committee_x, c, [world.company_b.pk], "Its supplier list."
    )
    adhere(world.covenant_x, make_org("Company D"))  # left to name: the form shows
    answers.check_company_answer(world.member_a, c, "See the file.", [("a.pdf", one_page_pdf())])
    client.cookies.pop("django_language", None)
    h = {"HTTP_ACCEPT_LANGUAGE": "nl"}
    with check.recording() as seen:
        for user in (world.committee_x, world.member_a):
            client.force_login(user)
            client.get("/complaints/cases/", **h)
            client.get(f"/complaints/cases/{c.reference}/", **h)
            client.post(
                f"/complaints/cases/{c.reference}/", {"action": "move", "to_state": "closed"}, **h
            )
            client.post(f"/complaints/cases/{c.reference}/", {"action": "name_respondent"}, **h)
            client.post(f"/complaints/cases/{c.reference}/", {"action": "answer"}, **h)
        client.force_login(world.committee_x)
        client.get("/complaints/overdue/", **h)
        client.get(f"/complaints/committee/{world.covenant_x.slug}/", **h)
        client.post(f"/complaints/committee/{world.covenant_x.slug}/", {}, **h)
    gaps = check.untranslated(seen, "nl") - ENDONYMS - BASE
    assert not gaps, f"untranslated in nl: {gaps}"
