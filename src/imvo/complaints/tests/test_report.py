"""The complaints section of the yearly progress report."""

from django.utils import timezone

from imvo.complaints.tests.helpers import SECRET_TEXT, file


def test_report_section_holds_aggregates_only(world):
    from imvo.complaints.report import report_sections

    file(world, text=SECRET_TEXT, name="Amina", topics=["wages"])
    (section,) = [
        s.as_dict("complaints") for s in report_sections(world.covenant_x, timezone.now().year)
    ]
    assert section["key"] == "complaints"
    assert section["figures"][0]["value"] == 1
    assert "Amina" not in repr(section) and "Rahim" not in repr(section)
