"""What a member named later reads of the case (docs/complaints.md, "The case
file of a respondent named later"): everything the committee marked for the
company, from before its naming too (the case file it must answer), and never
the complainant's identity, which the complainant agreed to share only with the
member it named itself; never another respondent's answers."""

from imvo.accounts.testing import make_user
from imvo.complaints.models import Forwarding
from imvo.complaints.services import access, answers, respondents, workflow
from imvo.complaints.tests.helpers import assign_officer, file, jpeg_with_exif, move
from imvo.testing import adhere, make_org

NAME = "Ayesha Rahman"
WHY = "Its 2025 supplier list names the factory the workers describe."
BEFORE = "To the company: explain your purchasing prices for the spring order."
INTERNAL = "For the committee only: the complainant fears dismissal."


def _member(world, name, username):
    """Another member company of covenant X with one user."""
    org = make_org(name)
    adhere(world.covenant_x, org)
    return org, make_user(username, org)


def _acknowledged(world, **kw):
    """A complaint by NAME, who agreed that the company may know it, acknowledged."""
    filed = file(world, name=NAME, anonymous=False, share_identity_with_company=True, **kw)
    return move(world.secretariat_x, filed.complaint, "acknowledged")


def test_a_member_named_later_reads_the_case_file_from_before_its_naming(world):
    d, member_d = _member(world, "Company D", "member_d")
    c = _acknowledged(world, files=[("payslip.jpg", jpeg_with_exif())])
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    respondents.check_name_respondents(world.committee_x, c, [world.company_b.pk], WHY)
    workflow.check_post_message(world.committee_x, c, BEFORE, to_company=True)
    workflow.check_post_message(world.committee_x, c, INTERNAL)
    evidence_id = c.evidence.get().pk
    workflow.check_share_with_company(world.committee_x, c, "Wages unpaid.", [evidence_id])
    c = move(world.committee_x, c, "admissible")
    workflow.check_post_message(world.member_b, c, "Company B answers: we paid.")
    answers.check_company_answer(world.member_b, c, "Our payroll.", [("payroll.png", _png())])
    respondents.check_name_respondents(world.committee_x, c, [d.pk], WHY + " Also D.")

    c, role = access.get_case(member_d, c.reference)
    view = workflow.case_view(member_d, c, role)
    bodies = [x["body"] for x in view["case_messages"]]
    assert bodies == [BEFORE]  # from before its naming; not B's answer, not internal
    assert view["summary"] == "Wages unpaid." and len(view["evidence"]) == 1
    assert view["answer_files"] == []  # B's files are B's
    assert view["identity"] == ""  # the complainant agreed for the company it named
    b_view = workflow.case_view(world.member_b, c, "company")
    assert b_view["identity"] == ""  # named by the committee too


def test_only_the_member_the_complainant_named_learns_its_name(world):
    buyer, member_e = _member(world, "Buyer E", "member_e")
    c = _acknowledged(
        world,
        respondent=world.company_a,
        facility={"id": 991, "name": "Sunrise Knit", "country": "BD"},
    )
    Forwarding.objects.create(complaint=c, organisation=buyer, by=world.secretariat_x)
    c = move(world.secretariat_x, assign_officer(c), "admissibility")
    c = move(world.committee_x, c, "admissible")
    assert workflow.case_view(world.member_a, c, "company")["identity"] == NAME
    c, role = access.get_case(member_e, c.reference)
    assert role == "company" and workflow.case_view(member_e, c, role)["identity"] == ""


def _png():
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()
