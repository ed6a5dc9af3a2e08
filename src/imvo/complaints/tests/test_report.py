"""The complaints sections of the yearly progress report."""

from django.utils import timezone

from imvo.complaints.tests.helpers import SECRET_TEXT, admit, file


def _sections(world):
    from imvo.complaints.report import report_sections

    return {
        s.key: s.as_dict("complaints")
        for s in report_sections(world.covenant_x, timezone.now().year)
    }


def test_report_section_holds_aggregates_only(world):
    file(world, text=SECRET_TEXT, name="Amina", topics=["wages"])
    section = _sections(world)["complaints"]
    assert section["figures"][0]["value"] == 1
    assert "Amina" not in repr(section) and "Rahim" not in repr(section)
    labels = [f["label"] for f in section["figures"]]
    assert "Retaliation reported after closure" in labels


def test_the_public_case_register_is_in_the_report_and_nothing_identifying(world, client):
    c = admit(
        world.committee_x,
        file(
            world,
            text=SECRET_TEXT,
            name="Amina Begum",
            contact="+8801711000000",
            anonymous=False,
            facility={"id": 5, "name": "Sunrise Knit", "country": "BD"},
            respondent=world.company_a,
            language="bn",
        ).complaint,
    )
    file(world, text="Not yet admissible, so not in the register.")
    register = _sections(world)["complaints-register"]
    (table,) = register["tables"]
    assert [row[0] for row in table["rows"]] == [c.reference]
    assert table["header"][:3] == ["Case", "Filed (month)", "Country"]
    assert table["rows"][0][2] == "BD"
    text = repr(register)
    for secret in ("Rahim", "Amina", "+880", "Sunrise", "Company A", "bn"):
        assert secret not in text, secret
    # The yearly report (reporting, through the registry) shows it.
    client.force_login(world.secretariat_x)
    year = timezone.now().year
    page = client.get(f"/reports/{world.covenant_x.slug}/{year}/draft/").content.decode()
    assert "Public case register" in page and c.reference in page
    assert "Amina" not in page and "Sunrise" not in page
