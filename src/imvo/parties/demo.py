"""Demo data: FNV's signal about a garment production location that several
members source from, passed on to them, with one member's answer."""

from __future__ import annotations

from imvo.accounts.models import User
from imvo.covenants.models import Covenant, Organisation
from imvo.parties.models import Signal, SignalResponse
from imvo.parties.services.signals import do_forward
from imvo.supplychain.seams import organisations_linked_to_facility, public_facility_search


def load() -> list[tuple[str, str]]:
    garment = Covenant.objects.filter(slug="garment-textile").first()
    union = User.objects.filter(username="union").first()
    if garment is None or union is None or union.organisation is None:
        return []
    # A location of the public list that more than one member links to.
    for facility in public_facility_search("", covenant=garment, limit=200):
        fid = int(str(facility["id"]))
        linked = [
            o for o in organisations_linked_to_facility(fid) if o.type == Organisation.Type.COMPANY
        ]
        if len(linked) >= 2:
            break
    else:
        return []
    signal = Signal.objects.create(
        covenant=garment,
        raised_by=union.organisation,
        raised_by_user=union,
        facility_id=fid,
        location=str(facility["name"]),
        country=str(facility["country"]),
        title="Werknemers ontslagen na oprichting van een vakbondscomité",
        description=(
            "De partnervakbond meldt dat elf werknemers zijn ontslagen in de week nadat zij "
            "een vakbondscomité hadden geregistreerd. De ontslagen werden aangekondigd als "
            "'einde contract'."
        ),
        language="nl",
    )
    do_forward(signal)
    first = signal.forwardings.select_related("organisation").first()
    if first is not None:
        SignalResponse.objects.create(
            signal=signal,
            organisation=first.organisation,
            text=(
                "Wij hebben de fabriek om de ontslagdossiers gevraagd en gaan binnen twee "
                "weken langs, samen met de partnervakbond."
            ),
            language="nl",
        )
        signal.status = Signal.Status.ANSWERED
        signal.save(update_fields=["status"])
    return []
