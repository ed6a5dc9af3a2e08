"""Demo data: a registry of production locations and the garment members' supplier
lists, with shared facilities, a few matches for `company` to decide, and the
resulting public list.

The registry is generated (seeded) by `synthetic.py`; the lists write those
facilities the way companies do (typos, legal forms, spaced letters...).
"""

from __future__ import annotations

import csv
import io
import random

from django.utils import timezone
from django.utils.text import slugify

from imvo.covenants.models import Adherence, Covenant, Organisation
from imvo.supplychain import publication, services, synthetic
from imvo.supplychain.models import Facility, PublishedYear, SupplierList
from imvo.supplychain.normalise import normalise_address, normalise_name

REGISTRY_SIZE = 3000


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(["Naam fabriek", "Adres", "Land", "Product", "Aantal werknemers"])
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def load() -> list[tuple[str, str]]:
    rng = random.Random(2024)
    facilities = list(synthetic.facilities(REGISTRY_SIZE, seed=7))
    Facility.objects.bulk_create(
        [
            Facility(
                name=f.name,
                address=f.address,
                country=f.country,
                sector=f.sector,
                name_norm=normalise_name(f.name),
                address_norm=normalise_address(f.address),
            )
            for f in facilities
        ],
        batch_size=1000,
    )
    garment = Covenant.objects.filter(slug="garment-textile").first()
    if garment is None:
        return []
    members = list(
        Adherence.objects.filter(covenant=garment, organisation__type="company").select_related(
            "organisation"
        )
    )
    year = timezone.now().year - 1
    shared_pool = rng.sample(range(len(facilities)), 40)  # factories several members use
    for a in members:
        org: Organisation = a.organisation
        picks = set(rng.sample(shared_pool, rng.randint(6, 12)))
        picks |= set(rng.sample(range(len(facilities)), rng.randint(20, 45)))
        rows = []
        for i in sorted(picks):
            f = facilities[i]
            name, address = synthetic.perturb(rng, f) if rng.random() < 0.5 else (f.name, f.address)
            country = rng.choice([f.country, synthetic.COUNTRY_NAMES.get(f.country, f.country)])
            rows.append([name, address, country, f.sector, str(f.workers)])
        for f in synthetic.facilities(rng.randint(2, 5), seed=rng.randint(10**6, 10**7)):
            rows.append([f.name, f.address, f.country, f.sector, str(f.workers)])  # not yet known
        if org.slug == slugify("Noorderlicht Fashion B.V."):
            # Look-alikes of known factories next door: these need a person to decide.
            for i in rng.sample(range(len(facilities)), 4):
                name, address = synthetic.lookalike(rng, facilities[i])
                rows.append([facilities[i].name, address, facilities[i].country, "Apparel", "300"])
            rows.append(["", "Unknown street 1", "Bangladesh", "Apparel", "12"])  # rejected row
        rng.shuffle(rows)
        sl = services.store_list(
            org, garment, year, f"{org.slug}-suppliers-{year}.csv", _csv(rows), enqueue_task=False
        )
        services.process_list(sl.pk)
    Adherence.objects.filter(
        covenant=garment, organisation__slug=slugify("Van Amstel Denim")
    ).update(consent_to_be_named=True)
    assert not SupplierList.objects.filter(status=SupplierList.Status.FAILED).exists()
    # The secretariat published the year: eight members disclosed, more than K (5),
    # so the demo's public list is not empty (publication.py).
    assert (
        publication.disclosing_members(garment, year) >= publication.policy_for(garment).min_members
    )
    PublishedYear.objects.get_or_create(covenant=garment, year=year)
    return []
