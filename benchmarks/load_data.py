"""Enlarge the demo data to a realistic size in a PostgreSQL database, for the load test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/imvo_load \\
        .venv/bin/python benchmarks/load_data.py --scale 1

At --scale 1 it makes 50 covenants, 5,000 member companies (each adhering to a
covenant, a few to two), 10 agreements per covenant with a year of monthly KPI
measurements, 10,000 complaints (encrypted with the platform's real key, like
complaints filed through the form) and, when the supply-chain app is present,
1,000,000 facilities in the registry with supplier lists linking members to
them. --scale 0.01 makes a quick, small version.

It first migrates and loads the ordinary demo (so the demo logins work), then
adds the bulk with ``bulk_create`` in large batches and PostgreSQL ``COPY``
for the facilities, so generation stays within a few minutes.

Decisions: bulk complaints skip the audit chain and the rate limit of
``file_complaint`` (they model history, not filings; the chain stays valid
because it is only ever appended to by real actions). Names are synthetic.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BATCH = 2000
ROWS_PER_LIST = 40

SYLLABLES = [
    "nor",
    "der",
    "licht",
    "van",
    "berg",
    "tex",
    "moda",
    "wear",
    "vel",
    "stra",
    "mar",
    "kin",
    "sol",
    "ora",
    "tan",
    "lux",
    "vita",
    "gro",
    "fiel",
    "dam",
]
CITIES = {
    "BD": ["Dhaka", "Gazipur", "Chittagong", "Narayanganj", "Savar"],
    "IN": ["Tiruppur", "Bangalore", "Noida", "Ludhiana", "Chennai"],
    "CN": ["Ningbo", "Guangzhou", "Shaoxing", "Dongguan", "Suzhou"],
    "TR": ["Istanbul", "Izmir", "Bursa", "Denizli", "Gaziantep"],
    "VN": ["Ho Chi Minh City", "Hanoi", "Dong Nai", "Binh Duong", "Hai Phong"],
    "PK": ["Karachi", "Lahore", "Faisalabad", "Sialkot", "Multan"],
    "KH": ["Phnom Penh", "Kandal", "Kampong Speu", "Takeo", "Svay Rieng"],
    "ET": ["Addis Ababa", "Hawassa", "Mekelle", "Bahir Dar", "Adama"],
    "MA": ["Tangier", "Casablanca", "Fes", "Rabat", "Marrakesh"],
    "PT": ["Porto", "Braga", "Guimaraes", "Barcelos", "Lisbon"],
}
KINDS = ["Garments", "Textiles", "Apparel", "Knitting", "Dyeing", "Stone", "Foods", "Metal"]


def word(rng: random.Random, n: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imvo.settings")
    os.environ.setdefault("DEBUG", "1")  # only so settings need no SECRET_KEY here
    import django

    django.setup()


def step(label: str, t0: float) -> None:
    print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)


def base_demo() -> None:
    from django.core.management import call_command

    from imvo.core.demo import load_demo
    from imvo.covenants.models import Covenant

    call_command("migrate", verbosity=0)
    if not Covenant.objects.exists():
        load_demo(progress=lambda s: print("  " + s, flush=True))


def covenants(n: int, rng: random.Random) -> list:
    from imvo.covenants.models import Covenant, Phase, ProcessStep, Sector, Theme

    have = list(Covenant.objects.all())
    new = []
    sectors = [s for s in Sector.values if s != "other"]
    from django.utils import timezone

    today = timezone.localdate()
    for i in range(len(have), n):
        start = today - timedelta(days=rng.randint(200, 1500))
        name = f"{word(rng)} {rng.choice(KINDS)} covenant {i + 1}"
        new.append(
            Covenant(
                slug=f"load-covenant-{i + 1}",
                name_nl=f"Convenant {name}",
                name_en=name.capitalize(),
                sector=rng.choice(sectors),
                description_nl="Convenant voor internationaal maatschappelijk verantwoord ondernemen.",
                description_en="Covenant on international responsible business conduct.",
                start_date=start,
                end_date=start + timedelta(days=365 * 5),
                phase=rng.choice([Phase.IMPLEMENTATION, Phase.IMPLEMENTATION, Phase.DIALOGUE]),
            )
        )
    created = Covenant.objects.bulk_create(new)
    steps, themes = [], []
    for c in created:
        for o in range(1, 13):
            steps.append(
                ProcessStep(
                    covenant=c,
                    order=o,
                    phase=Phase.IMPLEMENTATION,
                    name_nl=f"Stap {o}",
                    name_en=f"Step {o}",
                    status=ProcessStep.Status.DONE if o < 7 else ProcessStep.Status.PLANNED,
                )
            )
        for t in range(1, 10):
            themes.append(
                Theme(
                    covenant=c,
                    code=f"theme-{t}",
                    name_nl=f"Thema {t}",
                    name_en=f"Theme {t}",
                    order=t,
                )
            )
    ProcessStep.objects.bulk_create(steps, batch_size=BATCH)
    Theme.objects.bulk_create(themes, batch_size=BATCH)
    return have + created


def members(n: int, covs: list, rng: random.Random) -> list:
    """Member companies, each a party to one covenant; one in ten also to a second."""
    from imvo.covenants.models import Adherence, Organisation

    have = Organisation.objects.filter(type=Organisation.Type.COMPANY).count()
    orgs = [
        Organisation(
            name=f"{word(rng, 3)} {rng.choice(['B.V.', 'N.V.', 'Holding B.V.', 'Group'])} {i}",
            slug=f"load-company-{i}",
            type=Organisation.Type.COMPANY,
            country="NL",
        )
        for i in range(have, n)
    ]
    orgs = Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    from django.utils import timezone

    today = timezone.localdate()
    adherences = []
    for i, org in enumerate(orgs):
        first = covs[i % len(covs)]
        picks = [first]
        if i % 10 == 0:
            second = rng.choice(covs)
            if second.pk != first.pk:
                picks.append(second)
        for c in picks:
            adherences.append(
                Adherence(
                    covenant=c,
                    organisation=org,
                    role=Adherence.Role.PARTY,
                    since=today - timedelta(days=rng.randint(30, 1200)),
                    status=Adherence.Status.ACTIVE if rng.random() > 0.05 else "withdrawn",
                    consent_to_be_named=rng.random() < 0.3,
                )
            )
    Adherence.objects.bulk_create(adherences, batch_size=BATCH)
    # All generated members, also those of an earlier run (the script is re-runnable).
    return list(Organisation.objects.filter(slug__startswith="load-company-"))


def agreements(covs: list, rng: random.Random) -> None:
    from imvo.covenants.models import Agreement, KpiMeasurement

    have = set(Agreement.objects.values_list("covenant_id", flat=True))
    load = [c for c in covs if c.slug.startswith("load-covenant-") and c.pk not in have]
    from django.utils import timezone

    today = timezone.localdate()
    items = []
    for c in load:
        for k in range(1, 11):
            items.append(
                Agreement(
                    covenant=c,
                    number=f"{k}",
                    title_nl=f"Afspraak {k}",
                    title_en=f"Agreement {k}: due diligence on theme {k % 9 + 1}",
                    kpi_name_nl="Aandeel bedrijven met een plan van aanpak",
                    kpi_name_en="Share of companies with an action plan",
                    kpi_unit="%",
                    baseline=Decimal(rng.randint(0, 40)),
                    baseline_date=c.start_date,
                    target=Decimal(100),
                    deadline=c.end_date,
                )
            )
    items = Agreement.objects.bulk_create(items, batch_size=BATCH)
    ms = []
    for a in items:
        v = float(a.baseline)
        for m in range(12):
            v = min(100.0, v + rng.uniform(0, 5))
            ms.append(
                KpiMeasurement(
                    agreement=a,
                    date=today - timedelta(days=30 * (12 - m)),
                    value=Decimal(f"{v:.2f}"),
                    source="Annual member survey",
                )
            )
    KpiMeasurement.objects.bulk_create(ms, batch_size=BATCH)


def complaints(n: int, covs: list, orgs: list, rng: random.Random) -> None:
    """Complaints with real encryption of what the complainant wrote."""
    from django.db import connection
    from django.utils import timezone

    from imvo.complaints import receipts
    from imvo.complaints.models import Complaint, ProcedureSettings, State

    for c in covs:
        ProcedureSettings.objects.get_or_create(covenant=c)
    have = Complaint.objects.count()
    states = [State.RECEIVED, State.ACKNOWLEDGED, State.ADMISSIBILITY, State.CLOSED]
    now = timezone.now()
    batch: list[Complaint] = []
    for i in range(have, n):
        c = Complaint(
            covenant=covs[i % len(covs)],
            receipt_hash=receipts.hash_receipt(receipts.new_receipt()),
            state=rng.choice(states),
            language=rng.choice(["en", "nl", "bn", "hi", "tr"]),
            respondent=orgs[rng.randrange(len(orgs))] if orgs and rng.random() < 0.6 else None,
            filed_at=now - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440)),
        )
        c.routed_to_secretariat = c.respondent is None
        c.set_confidential(
            {
                "description": f"Workers at the {rng.choice(KINDS).lower()} unit were not paid "
                f"overtime for {rng.randint(2, 12)} weeks and were threatened when they asked.",
                "name": "",
                "contact": "",
                "location": rng.choice(CITIES["BD"]),
                "when": "last month",
                "remedy_sought": "Back pay and an apology.",
            }
        )
        c.due = (c.filed_at + timedelta(days=7)).date()
        batch.append(c)
        if len(batch) >= BATCH:
            Complaint.objects.bulk_create(batch)
            batch = []
    Complaint.objects.bulk_create(batch)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE complaints_complaint SET reference = "
            "to_char(filed_at, 'YYYY') || '-' || lpad(id::text, 5, '0') WHERE reference = ''"
        )


def facilities(n: int, orgs: list, covs: list, rng: random.Random) -> None:
    """The supply-chain registry: facilities by COPY, supplier lists linking members to them."""
    from django.db import connection

    from imvo.supplychain import models as sc

    have = sc.Facility.objects.count()
    table = sc.Facility._meta.db_table
    countries = list(CITIES)
    chunk = 100_000
    with connection.cursor() as cur:
        raw = cur.connection
        for start in range(have, n, chunk):
            buf = io.StringIO()
            for i in range(start, min(n, start + chunk)):
                cc = countries[i % len(countries)]
                city = CITIES[cc][(i // 10) % 5]
                name = f"{word(rng)} {rng.choice(KINDS)} {i}"
                addr = f"{rng.randint(1, 400)} {word(rng)} Road, {city}"
                buf.write(
                    f"{name}\t{addr}\t{cc}\t{rng.choice(KINDS)}\t[]\t{name.lower()}\t"
                    f"{addr.lower()}\t2026-01-01 00:00:00+00\n"
                )
            buf.seek(0)
            with raw.cursor().copy(
                f"COPY {table} (name, address, country, sector, aliases, name_norm,"
                " address_norm, created) FROM STDIN"
            ) as cp:
                while data := buf.read(1 << 20):
                    cp.write(data)
            print(f"    {min(n, start + chunk):,} facilities", flush=True)
    _supplier_lists(sc, orgs, covs, rng)


def _supplier_lists(sc: Any, orgs: list, covs: list, rng: random.Random) -> None:
    """Each member gets one processed supplier list of ROWS_PER_LIST rows, each
    matched to a facility: three in ten to a pool of 20,000 popular facilities
    (so members share suppliers), the rest spread over the whole registry.
    Made in SQL (INSERT ... SELECT) so it takes seconds, not minutes."""
    from django.db import connection
    from django.utils import timezone

    from imvo.covenants.models import Adherence

    first: dict[int, int] = {}
    for org_id, cov_id in (
        Adherence.objects.filter(organisation__in=orgs, role=Adherence.Role.PARTY)
        .order_by("id")
        .values_list("organisation_id", "covenant_id")
    ):
        first.setdefault(org_id, cov_id)
    done = set(sc.SupplierList.objects.values_list("organisation_id", flat=True))
    first = {o: c for o, c in first.items() if o not in done}
    year = timezone.localdate().year - 1
    now = timezone.now()
    lists = sc.SupplierList.objects.bulk_create(
        [
            sc.SupplierList(
                covenant_id=cov_id,
                organisation_id=org_id,
                year=year,
                file=f"supplier-lists/load/{org_id}.csv",
                original_name="suppliers.csv",
                sha256="0" * 64,
                status=sc.SupplierList.Status.DONE,
                confirmed=True,
                rows_total=ROWS_PER_LIST,
                rows_done=ROWS_PER_LIST,
                started=now,
                finished=now,
            )
            for org_id, cov_id in first.items()
        ],
        batch_size=BATCH,
    )
    if not lists:
        return
    lo, hi = min(x.pk for x in lists), max(x.pk for x in lists)
    with connection.cursor() as cur:
        cur.execute("SELECT min(id), count(*) FROM supplychain_facility")
        fmin, fcount = cur.fetchone()
        cur.execute(
            """INSERT INTO supplychain_supplierlistrow (supplier_list_id, number, raw, name, address, country,
                country_raw, sector, product, tier, identifier, name_norm, address_norm, status,
                errors, warnings, stage)
            SELECT l.id, g.n, '{}'::jsonb, '', '', '', '', '', 'Garments', 'Tier 1', '', '', '',
                'valid', '[]'::jsonb, '[]'::jsonb, 'published'
            FROM supplychain_supplierlist l CROSS JOIN generate_series(1, %s) AS g(n)
            WHERE l.id BETWEEN %s AND %s""",
            [ROWS_PER_LIST, lo, hi],
        )
        popular = min(20_000, fcount)
        cur.execute(
            """INSERT INTO supplychain_match (row_id, facility_id, score, status, candidates, remembered,
                explanation)
            SELECT r.id,
                %s + CASE WHEN r.id %% 10 < 3 THEN (r.id * 7919) %% %s
                          ELSE (r.id * 104729) %% %s END,
                0.93, 'automatic', '[]'::jsonb, false, '[]'::jsonb
            FROM supplychain_supplierlistrow r WHERE r.supplier_list_id BETWEEN %s AND %s""",
            [fmin, popular, fcount, lo, hi],
        )
        # Each row reads like the facility it was matched to.
        cur.execute(
            """UPDATE supplychain_supplierlistrow r SET name = f.name, address = f.address, country = f.country,
                country_raw = f.country, name_norm = f.name_norm, address_norm = f.address_norm
            FROM supplychain_match m JOIN supplychain_facility f ON f.id = m.facility_id
            WHERE m.row_id = r.id AND r.supplier_list_id BETWEEN %s AND %s""",
            [lo, hi],
        )
        # Each list is version 1 of its member's disclosure (docs/supplychain.md).
        cur.execute(
            """INSERT INTO supplychain_disclosure (covenant_id, organisation_id, year)
            SELECT covenant_id, organisation_id, year FROM supplychain_supplierlist
            WHERE id BETWEEN %s AND %s""",
            [lo, hi],
        )
        cur.execute(
            """INSERT INTO supplychain_disclosureversion (disclosure_id, number, is_current, change,
                created, effect)
            SELECT d.id, 1, true, 'first', now(), '{}'::jsonb FROM supplychain_disclosure d
            JOIN supplychain_supplierlist l ON l.covenant_id = d.covenant_id
                AND l.organisation_id = d.organisation_id AND l.year = d.year
            WHERE l.id BETWEEN %s AND %s""",
            [lo, hi],
        )
        cur.execute(
            """INSERT INTO supplychain_disclosureversion_lists (disclosureversion_id, supplierlist_id)
            SELECT v.id, l.id FROM supplychain_disclosureversion v
            JOIN supplychain_disclosure d ON d.id = v.disclosure_id
            JOIN supplychain_supplierlist l ON l.covenant_id = d.covenant_id
                AND l.organisation_id = d.organisation_id AND l.year = d.year
            WHERE l.id BETWEEN %s AND %s""",
            [lo, hi],
        )
    print(f"    {len(lists):,} supplier lists, {len(lists) * ROWS_PER_LIST:,} matched rows")


def publish_years() -> None:
    """Publish the supplier lists' year of every covenant that passes the
    publication rule (K members), as a secretariat would: this makes the public
    snapshots the public pages read (docs/supplychain.md)."""
    from imvo.core.errors import DomainError
    from imvo.covenants.models import Covenant
    from imvo.supplychain import publication
    from imvo.supplychain.models import PublishedYear, SupplierList

    published = 0
    for covenant in Covenant.objects.filter(supplier_lists__isnull=False).distinct():
        years = set(
            covenant.supplier_lists.filter(status=SupplierList.Status.DONE).values_list(
                "year", flat=True
            )
        )
        for year in sorted(years):
            done = PublishedYear.objects.filter(covenant=covenant, year=year).first()
            # A year the demo already published got this script's lists after its
            # snapshot (bulk inserts send no signals): publish it again so its
            # snapshot holds them (garment-textile: 8 -> 100+ members).
            if done is not None and done.members >= publication.disclosing_members(covenant, year):
                continue
            try:
                publication.do_publish_year(covenant, year)
                published += 1
            except DomainError:
                pass  # fewer than K members: not public, as on a real platform
    print(f"    {published} covenant years published")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=8)
    p.add_argument("--skip-facilities", action="store_true")
    a = p.parse_args()
    if not a.database_url.startswith("postgres"):
        sys.exit("load_data.py needs a PostgreSQL DATABASE_URL (it uses COPY).")
    setup(a.database_url)
    rng = random.Random(a.seed)
    t0 = time.perf_counter()
    print(f"Enlarging the demo at scale {a.scale} in {a.database_url}")
    base_demo()
    step("migrate + demo", t0)
    covs = covenants(max(5, round(50 * a.scale)), rng)
    step(f"{len(covs)} covenants", t0)
    orgs = members(round(5000 * a.scale), covs, rng)
    step(f"{len(orgs)} member companies", t0)
    agreements(covs, rng)
    step("agreements and KPI measurements", t0)
    complaints(round(10000 * a.scale), covs, orgs, rng)
    step("complaints", t0)
    if not a.skip_facilities:
        facilities(round(1_000_000 * a.scale), orgs, covs, rng)
        step("facilities", t0)
        publish_years()
        step("published years (public snapshots)", t0)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    step("done (ANALYZE)", t0)


if __name__ == "__main__":
    main()
