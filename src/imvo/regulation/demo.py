"""Demo data for the regulation pages.

Noorderlicht Fashion (``company``, garment) has engagement entries for last
year, one naming FNV (``union`` can confirm it), so its ESRS S2 draft and CSDDD
pack for last year's assessed submission have something in every section.
Cacao Compagnie Zaandam gets a login (``company-food``) in the food products
covenant, whose members trade cocoa, coffee, palm oil and soya (EUDR).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.text import slugify

from imvo.accounts.models import User
from imvo.core.demo import DEMO_PASSWORD
from imvo.covenants.models import Covenant, Organisation
from imvo.regulation.models import EngagementEntry
from imvo.regulation.services.engagement import do_record


def load() -> list[tuple[str, str]]:
    today = timezone.localdate()
    year = today.year - 1
    garment = Covenant.objects.get(slug="garment-textile")
    noorderlicht = Organisation.objects.get(slug=slugify("Noorderlicht Fashion B.V."))
    fnv = Organisation.objects.get(slug=slugify("FNV"))
    # Recorded during the year, before last year's submission was handed in (15 October).
    recorded = datetime(year, 9, 30, tzinfo=timezone.get_current_timezone())
    for when, kind, who, named, method, topic, outcome in [
        (date(year, 3, 12), EngagementEntry.Kind.UNION, "FNV", fnv, EngagementEntry.Method.MEETING,
         "Risicoanalyse: vrijheid van vakvereniging bij onze leveranciers in Bangladesh",
         "Twee leveranciers op de prioriteitenlijst gezet; FNV gaat mee op het volgende fabrieksbezoek."),
        (date(year, 5, 20), EngagementEntry.Kind.RIGHTS_HOLDERS, "Werknemers van Dhaka Knit Ltd (42 geïnterviewd)",
         None, EngagementEntry.Method.INTERVIEW, "Lonen, overwerk en het klachtenkanaal",
         "Overwerk boven de wettelijke grens in het hoogseizoen; actie op levertijden gestart."),
        (date(year, 8, 2), EngagementEntry.Kind.NGO, "Arisa", None, EngagementEntry.Method.WRITTEN,
         "Commentaar op ons concept-stappenplan leefbaar loon",
         "Stappenplan aangepast: eerst een onderzoek naar de loonkloof."),
    ]:  # fmt: skip
        do_record(EngagementEntry(
            covenant=garment, organisation=noorderlicht, date=when, kind=kind, stakeholder=who,
            stakeholder_organisation=named, method=method, topic=topic, outcome=outcome,
            recorded=recorded,
        ))  # fmt: skip
    food_member = Organisation.objects.get(slug=slugify("Cacao Compagnie Zaandam"))
    User.objects.create_user(
        "company-food", password=DEMO_PASSWORD, email="company-food@example.org",
        organisation=food_member, first_name="Jan", last_name="Visser",
    )  # fmt: skip
    _ = Covenant.objects.get(slug="food-products")
    return [("company-food", "member company Cacao Compagnie Zaandam (food products: EUDR plots)")]
