def test_a_title_the_scan_wrote_is_read_in_the_readers_language(db, world):
    """ "Dwangarbeid - China" was written by a scan run in Dutch; an English reader sees
    "Forced labour - China". A title the member wrote stays as written."""
    from django.utils import translation

    from imvo.risk.models import RegisterEntry

    e = RegisterEntry(
        organisation=world.company_a, theme_code="forced-labour", country="CN",
        title="Dwangarbeid - China",
    )  # fmt: skip
    with translation.override("en"):
        assert e.heading == "Forced labour - China"
    with translation.override("nl"):
        assert e.heading == "Dwangarbeid - China"
    e.title = "Our own words"
    with translation.override("en"):
        assert e.heading == "Our own words"
