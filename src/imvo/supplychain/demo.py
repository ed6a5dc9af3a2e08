"""Demo data: a registry of production locations and the garment members' supplier
lists, with shared facilities, a few matches for `company` to decide on the review
screen (look-alikes next door, factories registered twice), and the resulting
public list.

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

# Factories registered twice in the registry (as happens when two sources list the
# same site: one point on the gate, one on the building, 67-70 m apart), each with
# the row a member writes for it. The matcher reads the two records as one place
# (`matching.features.twins`: same name, no conflicting numbers, within
# TWIN_METERS = 100 m; the pairs lay 118-122 m apart before, and so were two
# places), and each row is written differently enough ("Knitting" for "Knit", an
# added word, no "(Dongguan)") to wait for a person: the review screen shows both
# records side by side, their differences and the distance, and says that the
# registry holds the place twice and the records can be merged.
# (name, address, country, lat, lng) x 2, then the member's row.
AMBIGUOUS = [
    (
        ("Gazipur Knit Composite Ltd", "Plot 14, Road 2, Konabari, Gazipur 1751", "BD", 24.0023, 90.3212),
        ("GAZIPUR KNIT COMPOSITE LIMITED", "PLOT 14 ROAD 2 KONABARI GAZIPUR 1751", "BD", 24.0027, 90.3217),
        ("Gazipur Knitting Composite Ltd", "Plot 14, Road 2, Konabari, Gazipur", "Bangladesh", 24.0025, 90.3214),
    ),
    (
        ("Hai Phong Sewing Co., Ltd", "Lot C2, Nomura Industrial Zone, An Duong, Hai Phong", "VN", 20.8667, 106.6060),
        ("HAI PHONG SEWING CO LTD", "LOT C2 NOMURA INDUSTRIAL ZONE AN DUONG HAI PHONG", "VN", 20.8671, 106.6055),
        ("Hai Phong Sewing Garment Company", "Lot C2, Nomura Industrial Zone, An Duong District", "Viet Nam", 20.8669, 106.6057),
    ),
    (
        ("Sunrise Apparel (Dongguan) Co., Ltd", "No. 18 Xingye Road, Humen Town, Dongguan", "CN", 22.8150, 113.6730),
        ("SUNRISE APPAREL (DONGGUAN) CO LTD", "NO 18 XINGYE ROAD HUMEN TOWN DONGGUAN", "CN", 22.8153, 113.6736),
        ("Sunrise Apparel Co., Ltd", "No. 18 Xingye Rd, Humen, Dongguan", "China", 22.8151, 113.6733),
    ),
]  # fmt: skip


def ambiguous_registry() -> list[Facility]:
    """Add the twice-registered factories of AMBIGUOUS to the registry."""
    return Facility.objects.bulk_create(
        [
            Facility(
                name=name,
                address=address,
                country=country,
                sector="Apparel",
                lat=lat,
                lng=lng,
                name_norm=normalise_name(name),
                address_norm=normalise_address(address),
            )
            for pair in AMBIGUOUS
            for name, address, country, lat, lng in pair[:2]
        ]
    )


def ambiguous_rows() -> list[list[str]]:
    """The members' rows for AMBIGUOUS, in the demo lists' columns."""
    return [
        [name, address, country, "Apparel", "450", str(lat), str(lng)]
        for name, address, country, lat, lng in (pair[2] for pair in AMBIGUOUS)
    ]


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(
        [
            "Naam fabriek",
            "Adres",
            "Land",
            "Product",
            "Aantal werknemers",
            "Breedtegraad",
            "Lengtegraad",
        ]
    )
    writer.writerows(row + [""] * (7 - len(row)) for row in rows)
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
    ambiguous_registry()
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
            rows += ambiguous_rows()  # registered twice: for the review screen
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
    if not PublishedYear.objects.filter(covenant=garment, year=year).exists():
        publication.do_publish_year(garment, year)  # makes the public snapshot
    return []
