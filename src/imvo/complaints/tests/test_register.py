"""The public case register shows what DESIGN.md lets leave the committee and
nothing that could identify a complainant: these tests fail on a breach."""

import json
from datetime import timedelta

from django.utils import timezone

from imvo.complaints.models import Complaint
from imvo.complaints.services import publication, workflow
from imvo.complaints.services.register import register_rows
from imvo.complaints.tests.helpers import (
    SECRET_TEXT,
    admit,
    assign_officer,
    file,
    move,
    walk_to_decision,
)

NAME, CONTACT = "Amina Begum", "+8801711000000"
PLACE, WHEN, REMEDY = "Line 4, Ashulia", "the night of 3 March", "Reinstate the union leader"
FACILITY = {"id": 991, "name": "Sunrise Knit Composite", "country": "BD"}
REASON = "Rahim's testimony and the payroll of March show the wages were withheld."


def _decided_case(world, **kw):
    filed = file(
        world,
        text=SECRET_TEXT,
        name=NAME,
        contact=CONTACT,
        anonymous=False,
        location=PLACE,
        when=WHEN,
        remedy_sought=REMEDY,
        respondent=world.company_a,
        facility=FACILITY,
        topics=["wages"],
        language="bn",
        **kw,
    )
    c = admit(world.committee_x, filed.complaint)
    workflow.check_post_message(world.committee_x, c, f"Dear {NAME}", to_complainant=True)
    c = move(world.committee_x, c, "investigation", REASON)
    return move(
        world.committee_x,
        c,
        "decision",
        REASON,
        decision_text=f"{NAME} is paid the wages owed.",
        remedy_agreed=True,
    )


def _all_outputs(client, world) -> str:
    url = f"/complaints/register/{world.covenant_x.slug}/"
    page = client.get(url)
    csv = client.get(url + "?format=csv")
    data = client.get(url + "?format=json")
    assert page.status_code == csv.status_code == data.status_code == 200
    json.loads(data.content)
    return str(page.content.decode() + csv.content.decode() + data.content.decode())


def test_register_lists_admissible_cases_by_month_and_country(client, world):
    c = _decided_case(world)
    other = move(world.secretariat_x, file(world).complaint, "acknowledged")  # not admitted yet
    (row,) = register_rows(world.covenant_x)
    assert row["reference"] == c.reference and other.reference != c.reference
    assert row["filed_month"] == f"{c.filed_at:%Y-%m}" and row["country"] == "BD"
    assert row["status"] == "Decision" and row["days_to_admissibility"] == 0
    assert row["company"] == ""  # the procedure does not allow naming it


def test_nothing_that_identifies_a_complainant_leaves_through_the_register(client, world):
    c = _decided_case(world)
    pub = publication.check_draft_publication(
        world.secretariat_x, c, "Wages withheld at a knitting supplier", "Wages were paid."
    )
    publication.check_publish(world.committee_x, pub)
    out = _all_outputs(client, world)
    assert c.reference in out and "Wages were paid." in out  # the register is not empty
    c.refresh_from_db()
    secrets: list[str] = [
        SECRET_TEXT,
        NAME,
        CONTACT,
        PLACE,
        WHEN,
        REMEDY,
        REASON,
        str(FACILITY["name"]),
        world.company_a.name,
        c.filed_at.date().isoformat(),  # the day of filing, in any form
        c.filed_at.strftime("%d %b"),
        "secretariat_x",
        "committee_x",
    ]
    for secret in secrets:
        assert secret not in out, secret
    data = client.get(f"/complaints/register/{world.covenant_x.slug}/?format=json")
    cells = json.dumps(json.loads(data.content), ensure_ascii=False)
    assert '"bn"' not in cells and "language" not in cells  # the language they wrote in


def test_company_named_only_where_the_procedure_allows_and_once_decided(client, world):
    proc = _decided_case(world).procedure()
    early = admit(world.committee_x, file(world, respondent=world.company_a).complaint)
    assert world.company_a.name not in _all_outputs(client, world)
    proc.register_names_companies = True
    proc.save()
    rows = {r["reference"]: r for r in register_rows(world.covenant_x)}
    assert rows[early.reference]["company"] == ""  # admitted, not decided: not named
    assert [r["company"] for r in rows.values() if r["status"] == "Decision"] == [
        world.company_a.name
    ]


def test_closure_ground_and_days_reach_the_register(world):
    c = walk_to_decision(world.committee_x, file(world).complaint)
    later = timezone.now() + timedelta(days=40)
    move(world.committee_x, c, "closed", ground="decided", now=later)
    (row,) = register_rows(world.covenant_x)
    assert row["closure_ground"] == "Decided, and the follow-up of the remedy is done"
    assert row["days_to_closure"] in (40, 41)
    inadmissible = move(world.secretariat_x, file(world).complaint, "acknowledged")
    inadmissible = move(world.secretariat_x, assign_officer(inadmissible), "admissibility")
    move(world.committee_x, inadmissible, "inadmissible", ground="not_member")
    assert len(register_rows(world.covenant_x)) == 1  # inadmissible cases are not listed
    assert Complaint.objects.count() == 2


def _names_allowed(covenant):
    from imvo.complaints.models import ProcedureSettings

    proc, _ = ProcedureSettings.objects.get_or_create(covenant=covenant)
    proc.register_names_companies = True
    proc.save()


def test_every_respondent_member_is_named_where_the_procedure_allows(client, world):
    """A complaint filed without a member, two members named by the committee (one
    after admissibility): once decided, the register names both, as it names the
    member a complainant named; never a member the case was only forwarded to."""
    from imvo.complaints.models import Forwarding
    from imvo.complaints.services import respondents
    from imvo.testing import adhere, make_org

    _names_allowed(world.covenant_x)
    d = make_org("Company D")
    adhere(world.covenant_x, d)
    buyer = make_org("Buyer E")
    adhere(world.covenant_x, buyer)
    why = "Their supplier lists name the factory the workers describe."
    c = move(world.secretariat_x, file(world).complaint, "acknowledged")
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], why)
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    c = move(world.committee_x, c, "admissible")
    respondents.check_name_respondents(world.committee_x, c, [d.pk], why)
    Forwarding.objects.create(complaint=c, organisation=buyer)
    c = move(world.committee_x, c, "investigation")
    (row,) = register_rows(world.covenant_x)
    assert row["company"] == ""  # not decided yet
    move(world.committee_x, c, "decision", decision_text="Pay the wages owed.")
    (row,) = register_rows(world.covenant_x)
    assert row["company"] == f"{world.company_b.name}, {d.name}"
    out = _all_outputs(client, world)  # the page, the CSV and the JSON
    assert out.count(f"{world.company_b.name}, {d.name}") == 3
    assert buyer.name not in out


def test_a_case_closed_without_decision_or_settlement_names_no_company(world):
    """The procedure names a company once the case was decided or settled: a case
    the complainant withdrew after admissibility was neither."""
    from imvo.complaints.services import following

    _names_allowed(world.covenant_x)
    c = admit(world.committee_x, file(world, respondent=world.company_a).complaint)
    following.check_complainant_reply(c, "I withdraw my complaint.", withdraw=True)
    move(world.secretariat_x, c, "closed", ground="withdrawn")
    (row,) = register_rows(world.covenant_x)
    assert row["status"] == "Closed" and row["company"] == ""
