"""Every public page is fully translated in every shipped language."""

import pytest
from django.conf import settings

from imvo.core.translation_check import recording, untranslated
from imvo.testing import adhere, make_org, make_secretariat
from imvo.tests.public_pages import public_pages

pytestmark = pytest.mark.django_db

SHIPPED = [code for code, _ in settings.LANGUAGES if code != "en"]


@pytest.mark.parametrize("language", SHIPPED)
def test_public_pages_have_no_untranslated_strings(client, language, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pages = public_pages()
    missing: dict[str, set[str]] = {}
    for url in pages:
        with recording() as seen:
            client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        # Language names are shown in their own language (endonyms), never translated.
        gaps = untranslated(seen, language) - {name for _, name in settings.LANGUAGES}
        if gaps:
            missing[url] = gaps
    assert not missing, f"untranslated in {language}: {missing}"


def test_signed_in_pages_are_fully_translated_in_dutch(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from imvo.accounts.testing import make_user

    public_pages()
    from imvo.covenants.models import Covenant

    c = Covenant.objects.get(slug="garment-textile")
    sec = make_secretariat(c, "sanne")
    agreement = c.agreements.first()
    adherence = c.adherences.first()
    member = make_user("fatima", organisation=adherence.organisation)  # type: ignore[union-attr]
    pages = [
        "/accounts/",
        "/accounts/two-factor/",
        "/accounts/invite/",
        "/accounts/locked/",
        "/accounts/password-reset/",
        "/accounts/password-reset/sent/",
        "/accounts/invitation/MQ/not-a-token/",
        "/manage/",
        "/manage/new/",
        "/manage/garment-textile/",
        "/manage/garment-textile/edit/",
        "/manage/garment-textile/agreements/new/",
        f"/manage/garment-textile/agreements/{agreement.pk}/",  # type: ignore[union-attr]
        f"/manage/garment-textile/agreements/{agreement.pk}/measurements/new/",  # type: ignore[union-attr]
        f"/manage/garment-textile/adherences/{adherence.pk}/",  # type: ignore[union-attr]
        "/manage/garment-textile/adherences/new/",
        "/manage/garment-textile/organisations/new/",
        f"/manage/garment-textile/steps/{c.steps.first().pk}/",  # type: ignore[union-attr]
    ]
    missing: dict[str, set[str]] = {}
    client.force_login(sec)
    for url in pages:
        with recording() as seen:
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="nl").status_code == 200, url
            # A form sent empty shows its error messages too.
            client.post(url, {}, HTTP_ACCEPT_LANGUAGE="nl")
        gaps = untranslated(seen, "nl") - {name for _, name in settings.LANGUAGES}
        if gaps:
            missing[url] = gaps
    client.force_login(member)
    with recording() as seen:
        client.get("/organisation/", HTTP_ACCEPT_LANGUAGE="nl")
    if gaps := untranslated(seen, "nl") - {name for _, name in settings.LANGUAGES}:
        missing["/organisation/"] = gaps
    assert not missing, f"untranslated in nl: {missing}"


def test_demo_content_exists_in_dutch_and_english():
    """The content check: every text a user reads on a covenant of the demo (names,
    agreements, KPIs, governance, decisions, steps, themes) is stored in both languages."""
    from imvo.core.translation_check import missing_content
    from imvo.covenants import demo

    demo.load()
    assert missing_content() == []


@pytest.mark.slow  # loads every app's demo data
def test_the_whole_demos_content_exists_in_dutch_and_english():
    """The content check over what every app's demo writes: besides the covenants'
    own texts, the yearly report's narrative (reporting) and whatever later apps add."""
    from imvo.core.demo import load_demo
    from imvo.core.translation_check import missing_content
    from imvo.reporting.models import SectionText

    load_demo(progress=lambda _m: None)
    assert SectionText.objects.exists()
    assert missing_content() == []


def test_missing_content_is_listed_and_shown_marked_in_the_other_language(client):
    """A text stored in Dutch only: the check lists it, and the English page shows the
    Dutch text in its own lang with a visible (NL) marker; the Dutch page shows no marker."""
    from imvo.core.translation_check import missing_content
    from imvo.testing import make_covenant

    c = make_covenant(slug="stone", name_nl="Natuursteenconvenant", name_en="")
    assert [(m.model, m.field, m.missing) for m in missing_content()] == [
        ("covenants.Covenant", "name", "en")
    ]
    en = client.get("/covenants/stone/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span lang="nl">Natuursteenconvenant</span> <small class="lang-fallback"' in en
    assert "(NL)</small>" in en
    nl = client.get("/covenants/stone/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Natuursteenconvenant" in nl and "lang-fallback" not in nl
    c.name_en = "Natural Stone"
    c.save()
    assert missing_content() == []


def test_party_pages_are_fully_translated_in_dutch(client, settings, tmp_path):
    """The union's workspace, KPI comments, signals and production locations in Dutch."""
    settings.MEDIA_ROOT = tmp_path
    from imvo.accounts.testing import make_user
    from imvo.covenants.services import parties
    from imvo.parties.services import signals

    public_pages()
    from imvo.covenants.models import Covenant

    c = Covenant.objects.get(slug="garment-textile")
    union = make_org("Vakbond", type="union")
    adhere(c, union)
    user = make_user("vakbond", union)
    agreement = c.agreements.first()
    assert agreement is not None
    parties.check_comment_on_kpi(user, agreement, "Commentaar")
    s = signals.check_raise_signal(
        user, c, "Ontslagen", "Elf werknemers.", location="Mill", country="BD"
    )
    client.force_login(user)
    missing: dict[str, set[str]] = {}
    for url in (
        "/parties/",
        f"/parties/{c.slug}/kpis/",
        "/parties/signals/",
        f"/parties/signals/{s.pk}/",
        f"/parties/{c.slug}/signals/new/?q=zz",
        f"/parties/{c.slug}/locations/",
    ):
        with recording() as seen:
            assert client.get(url, HTTP_ACCEPT_LANGUAGE="nl").status_code == 200, url
        if gaps := untranslated(seen, "nl") - {name for _, name in settings.LANGUAGES}:
            missing[url] = gaps
    assert not missing, f"untranslated in nl: {missing}"
