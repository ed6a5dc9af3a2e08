"""A ready-made framework's texts are shown in the reader's language; the
secretariat's own texts as written (`framework_templates.shown`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from imvo.core.translation_check import recording, untranslated
from imvo.duediligence.framework_templates import KNOWN, shown
from imvo.duediligence.services import frameworks, submissions

pytestmark = pytest.mark.django_db


def test_every_template_text_has_a_dutch_translation() -> None:
    with translation.override("nl"), recording() as seen:
        for text in KNOWN:
            shown(text)
    assert untranslated(seen, "nl") == set()
    with translation.override("nl"):
        assert shown("Have you mapped all your tier-1 production locations?") == (
            "Heeft u al uw productielocaties in tier 1 in kaart gebracht?"
        )
        assert shown("Our own question") == "Our own question"


def test_framework_and_submission_pages_show_the_template_in_dutch(client, world, fw) -> None:
    frameworks.check_add_element(world.secretariat_x, fw, "Living wage roadmap", 3, Decimal(5))
    client.force_login(world.secretariat_x)
    url = reverse("duediligence:framework", args=[world.covenant_x.slug])
    with recording() as seen:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Toetsingskader kleding en textiel" in page
    assert "Risicoanalyse: inventarisatie en prioritering" in page
    assert "Heeft u de risico&#x27;s geprioriteerd naar ernst en waarschijnlijkheid?" in page
    assert "Have you prioritised the risks" not in page
    assert "Living wage roadmap" in page  # the secretariat's own title, as written
    template_gaps = untranslated(seen, "nl") & KNOWN
    assert template_gaps == set()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Have you prioritised the risks by severity and likelihood?" in english

    sub = submissions.check_start_submission(world.member_a, world.covenant_x, 2025)
    client.force_login(world.member_a)
    page = client.get(
        reverse("duediligence:submission", args=[sub.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Voeg het beleid bij of link ernaar in de toelichting." in page
    assert "Attach or link the policy" not in page


def test_install_form_names_the_templates_in_dutch(client, world) -> None:
    from imvo.duediligence.forms import InstallForm

    with translation.override("nl"):
        labels = dict(InstallForm().fields["template"].choices)  # type: ignore[attr-defined]
        assert str(labels["garment"]) == "Toetsingskader kleding en textiel"
