"""Demo data for the risk engine: hand-entered sourcing for member companies and a worked
risk register for Noorderlicht Fashion (user `company`). Uses the bundled indicator data."""

from __future__ import annotations

from django.utils.text import slugify

# company name -> [(country, sector, product, workers)]: plausible, invented sourcing.
SOURCING: dict[str, list[tuple[str, str, str, int | None]]] = {
    "Noorderlicht Fashion B.V.": [
        ("BD", "garment", "T-shirts and knitwear", 2400),
        ("CN", "garment", "Outerwear", 800),
        ("IN", "garment", "Embroidered blouses", 350),
        ("TR", "garment", "Denim", 600),
        ("PT", "garment", "Knitwear", 120),
    ],
    "Dijkstra Workwear": [
        ("PK", "garment", "Workwear trousers", 900),
        ("BD", "garment", "Work shirts", 1500),
        ("TN", "garment", "Overalls", 300),
    ],
    "Tulipa Textiles": [
        ("IN", "garment", "Cotton fabric", 500),
        ("CN", "garment", "Home textiles", 700),
    ],
    "Van Amstel Denim": [("TR", "garment", "Denim", 400), ("BD", "garment", "Jeans", 2000)],
    "Kustlijn Sportswear": [
        ("VN", "garment", "Sportswear", 1100),
        ("KH", "garment", "Sportswear", 650),
    ],
    "Steenhouwerij Van der Berg": [
        ("IN", "natural_stone", "Granite", 150),
        ("CN", "natural_stone", "Granite", 90),
    ],
    "Graniet Import Brabant": [
        ("IN", "natural_stone", "Sandstone", 80),
        ("PT", "natural_stone", "Limestone", 40),
    ],
    "Natuursteen Holland": [
        ("BR", "natural_stone", "Granite", 60),
        ("TR", "natural_stone", "Marble", 70),
    ],
    "Cacao Compagnie Zaandam": [("CI", "food", "Cocoa", None), ("GH", "food", "Cocoa", None)],
    "Specerijenhuis De Haan": [("IN", "food", "Spices", None), ("ID", "food", "Spices", None)],
    "Goudsmid & Zn.": [("PE", "gold", "Gold", None), ("CH", "gold", "Refined gold", None)],
}


def load() -> list[tuple[str, str]]:
    from imvo.accounts.models import User
    from imvo.covenants.models import Covenant, Organisation
    from imvo.risk import services
    from imvo.risk.models import RegisterEntry, SourcingEntry

    for name, rows in SOURCING.items():
        org = Organisation.objects.filter(slug=slugify(name)[:200]).first()
        if org is None:
            continue
        for country, sector, product, workers in rows:
            SourcingEntry.objects.create(
                organisation=org, country=country, sector=sector, product=product, workers=workers
            )
    user = User.objects.filter(username="company").first()
    if user is None or user.organisation is None:
        return []
    garment = Covenant.objects.filter(slug="garment-textile").first()
    entries = services.register_from_scan(user, user.organisation, covenant=garment, top=8)
    owners = ["CSR manager", "Head of sourcing", "Quality manager"]
    for i, e in enumerate(entries):
        services.update_entry(
            user,
            e,
            owner=owners[i % len(owners)],
            status=[RegisterEntry.Status.ACTING, RegisterEntry.Status.ASSESSING][i % 2],
            involvement=RegisterEntry.Involvement.CONTRIBUTE
            if i == 0
            else RegisterEntry.Involvement.DIRECTLY_LINKED,
            leverage_share=[25.0, 8.0, 3.0][i % 3],
            members_sharing=[2, 1, 0][i % 3],
            leverage="Long-term buyer; shares the factory with other covenant members.",
        )
    if len(entries) > 3:
        services.update_entry(
            user,
            entries[3],
            override_priority=95.0,
            override_reason="Union reports of dismissals after a strike at our main supplier (March).",
        )
    return []
