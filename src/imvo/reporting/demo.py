"""Demo data for reporting: the garment covenant's published progress report for
last year, with the secretariat's own text in Dutch and English.

Runs after the other apps' demo data; sections of apps that have no demo data
(or no report module) are simply absent from the report.
"""

from __future__ import annotations

import logging

from django.utils import timezone, translation

from imvo.accounts.models import User
from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant

log = logging.getLogger(__name__)

# The secretariat's own text per section, in Dutch and English (nl, en).
SECTION_TEXTS = {
    "members": (
        "Eén lid verliet het convenant aan het eind van het jaar, nadat het na een formele "
        "ingebrekestelling geen plan van aanpak had ingediend. Nieuwe leden traden toe uit "
        "het segment bedrijfskleding.",
        "One member company left the covenant at the end of the year after it did not "
        "submit an action plan following formal notice. New members joined from the "
        "workwear segment.",
    ),
    "agreements": (
        "De openbaarmaking van productielocaties ging sneller dan gepland. De voortgang op "
        "een leefbaar loon blijft achter bij het lineaire pad: de stuurgroep heeft de leden "
        "gevraagd in hun volgende due-diligencerapportage te rapporteren over hun "
        "inkooppraktijken.",
        "Disclosure of production locations advanced faster than planned. Progress on a "
        "living wage stays behind the linear path: the steering group asked members to "
        "report on purchasing practices in their next due-diligence submission.",
    ),
}


def load() -> list[tuple[str, str]]:
    from imvo.reporting.services import build, publication

    garment = Covenant.objects.filter(slug="garment-textile").first()
    secretariat = User.objects.filter(username="secretariat").first()
    if garment is None or secretariat is None:
        return []
    year = timezone.localdate().year - 1
    with translation.override("en"):
        try:
            build.check_year(garment, year)
        except DomainError:
            return []
        for key, (nl, en) in SECTION_TEXTS.items():
            publication.save_section_text(secretariat, garment, year, key, nl=nl, en=en)
        # Another app's section failing must not stop the demo or leave it without a
        # published report: it is left out and logged; the draft page shows the error.
        edition = publication.publish_report(secretariat, garment, year, skip_failed_sections=True)
        for error in edition.snapshot.get("errors", []):
            log.warning("Demo report published without a section: %s", error)
    return []
