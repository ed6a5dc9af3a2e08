"""Demo covenants drawn from the SER texts: garment & textile, banking, gold, food
products, insurance, pension funds and natural stone in implementation; metals,
floriculture and agri-food in earlier phases."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from imvo.accounts import seams as roles
from imvo.accounts.models import CovenantRole, User
from imvo.core.demo import DEMO_PASSWORD
from imvo.covenants import services
from imvo.covenants.models import (
    Adherence,
    Agreement,
    Covenant,
    GovernanceBody,
    KpiMeasurement,
    KpiUnit,
    Organisation,
    Phase,
    ProcessStep,
    Seat,
    Sector,
    StakeholderGroup,
    Theme,
)

T = Organisation.Type

# Invented people: the independent chairs and the substitutes of the seats
# (names, not titles, so no Dutch title shows in the English interface).
CHAIRS = ["Pieter Zwart", "Marieke van Dam", "Hans Kortenhorst", "Ingrid Bos", "Ruud Peeters"]
SUBSTITUTES = {
    "business": "Karin Smit",
    "unions": "Ahmed Yilmaz",
    "ngos": "Lotte de Boer",
    "government": "Jeroen Visser",
}

PUBLIC_BODIES = [
    (
        "Ministerie van Buitenlandse Zaken",
        T.GOVERNMENT,
        "https://www.rijksoverheid.nl/ministeries/ministerie-van-buitenlandse-zaken",
    ),
    ("FNV", T.UNION, "https://www.fnv.nl"),
    ("CNV Internationaal", T.UNION, "https://www.cnvinternationaal.nl"),
    ("Solidaridad", T.NGO, "https://www.solidaridad.nl"),
    ("Arisa", T.NGO, "https://www.arisa.nl"),
    ("Oxfam Novib", T.NGO, "https://www.oxfamnovib.nl"),
    ("Amnesty International Nederland", T.NGO, "https://www.amnesty.nl"),
    ("PAX", T.NGO, "https://paxforpeace.nl"),
    ("Modint", T.BRANCH, "https://www.modint.nl"),
    ("INretail", T.BRANCH, "https://www.inretail.nl"),
    ("Nederlandse Vereniging van Banken", T.BRANCH, "https://www.nvb.nl"),
    ("Verbond van Verzekeraars", T.BRANCH, "https://www.verzekeraars.nl"),
    ("Pensioenfederatie", T.BRANCH, "https://www.pensioenfederatie.nl"),
    ("Federatie Levensmiddelenindustrie", T.BRANCH, "https://www.fnli.nl"),
    ("Algemene Nederlandse Natuursteen Associatie", T.BRANCH, ""),
    ("Vereniging Edelmetaal", T.BRANCH, ""),
    ("Koninklijke Metaalunie", T.BRANCH, ""),
    ("Royal FloraHolland", T.BRANCH, ""),
    ("Wageningen University & Research", T.KNOWLEDGE, "https://www.wur.nl"),
    ("MVO Nederland", T.OTHER, "https://www.mvonederland.nl"),
]

# Invented member companies per covenant.
COMPANIES = {
    "garment": [
        "Noorderlicht Fashion B.V.",
        "Dijkstra Workwear",
        "Tulipa Textiles",
        "Van Amstel Denim",
        "Kustlijn Sportswear",
        "Polder Knitwear",
        "Zeebries Kids",
        "Molenaar Uniformen",
    ],
    "banking": ["Grachtenbank N.V.", "Rijnland Spaarbank", "Hanze Investeringsbank", "Deltabank"],
    "gold": ["Goudsmid & Zn.", "Edelmetaal Raffinage Utrecht", "Juwelier Groep Oranje"],
    "food": [
        "Vlaskamp Voedingsmiddelen",
        "Cacao Compagnie Zaandam",
        "Specerijenhuis De Haan",
        "Boer & Bakker Foods",
    ],
    "insurance": ["Zekerheid Verzekeringen", "Dijkgraaf Assurantiën", "Beschutting N.V."],
    "pension": [
        "Pensioenfonds Techniek Noord",
        "Stichting Pensioen Zorgsector",
        "Pensioenfonds Bouw Oost",
    ],
    "natural_stone": [
        "Steenhouwerij Van der Berg",
        "Graniet Import Brabant",
        "Natuursteen Holland",
    ],
    "metals": ["Staalbouw Twente", "Metaalwerken De IJssel"],
    "floriculture": ["Bloemenveiling Westland Trading", "Rozenkwekerij Aalsmeer Export"],
    "agrifood": ["Kwekerij Het Groene Land"],
}

BRANCH_OF = {
    "garment": ["Modint", "INretail"],
    "banking": ["Nederlandse Vereniging van Banken"],
    "gold": ["Vereniging Edelmetaal"],
    "food": ["Federatie Levensmiddelenindustrie"],
    "insurance": ["Verbond van Verzekeraars"],
    "pension": ["Pensioenfederatie"],
    "natural_stone": ["Algemene Nederlandse Natuursteen Associatie"],
    "metals": ["Koninklijke Metaalunie"],
    "floriculture": ["Royal FloraHolland"],
    "agrifood": [],
}

CIVIL = {
    "garment": ["FNV", "CNV Internationaal", "Arisa", "Solidaridad"],
    "banking": ["FNV", "Oxfam Novib", "Amnesty International Nederland", "PAX"],
    "gold": ["FNV", "Solidaridad", "PAX"],
    "food": ["FNV", "CNV Internationaal", "Solidaridad", "Oxfam Novib"],
    "insurance": ["Amnesty International Nederland", "Oxfam Novib", "PAX"],
    "pension": ["FNV", "CNV Internationaal", "Amnesty International Nederland", "Oxfam Novib"],
    "natural_stone": ["FNV", "CNV Internationaal", "Arisa"],
    "metals": ["FNV", "Solidaridad"],
    "floriculture": ["FNV", "Solidaridad"],
    "agrifood": ["CNV Internationaal"],
}

# slug, nl, en, sector, phase, years since start, term, description en, description nl
COVENANTS = [
    (
        "garment-textile",
        "Convenant Duurzame Kleding en Textiel",
        "Agreement on Sustainable Garments and Textile",
        Sector.GARMENT,
        Phase.IMPLEMENTATION,
        3,
        5,
        "Companies, unions, NGOs and government work together to prevent child labour, forced labour, unsafe work and pollution in garment supply chains, and to achieve a living wage.",
        "Bedrijven, vakbonden, ngo's en overheid werken samen om kinderarbeid, dwangarbeid, onveilig werk en vervuiling in de kledingketen te voorkomen en een leefbaar loon te bereiken.",
    ),
    (
        "banking",
        "Convenant Internationaal Maatschappelijk Verantwoord Bankwezen",
        "Dutch Banking Sector Agreement",
        Sector.BANKING,
        Phase.IMPLEMENTATION,
        3,
        4,
        "Banks apply human-rights due diligence to project finance and corporate lending.",
        "Banken passen due diligence op mensenrechten toe bij projectfinanciering en zakelijke kredietverlening.",
    ),
    (
        "gold",
        "Convenant Verantwoorde Goudketen",
        "Responsible Gold Agreement",
        Sector.GOLD,
        Phase.IMPLEMENTATION,
        2,
        4,
        "Refiners, jewellers and electronics companies improve conditions in artisanal and industrial gold mining.",
        "Raffinaderijen, juweliers en elektronicabedrijven verbeteren de omstandigheden in de goudwinning.",
    ),
    (
        "food-products",
        "IMVO-convenant Voedingsmiddelen",
        "Food Products Sector Agreement",
        Sector.FOOD,
        Phase.IMPLEMENTATION,
        2,
        5,
        "Food companies address living income, child labour and deforestation in their supply chains.",
        "Voedingsmiddelenbedrijven pakken leefbaar inkomen, kinderarbeid en ontbossing in hun ketens aan.",
    ),
    (
        "insurance",
        "IMVO-convenant Verzekeringssector",
        "Insurance Sector Agreement",
        Sector.INSURANCE,
        Phase.EVALUATION,
        4,
        4,
        "Insurers embed responsible investment and underwriting along the OECD Guidelines.",
        "Verzekeraars verankeren verantwoord beleggen en verzekeren volgens de OESO-richtlijnen.",
    ),
    (
        "pension-funds",
        "IMVO-convenant Pensioenfondsen",
        "Pension Funds Agreement",
        Sector.PENSION,
        Phase.IMPLEMENTATION,
        3,
        5,
        "Pension funds apply due diligence to their investments and use their leverage.",
        "Pensioenfondsen passen due diligence toe op hun beleggingen en gebruiken hun invloed.",
    ),
    (
        "natural-stone",
        "Convenant Natuursteen",
        "Natural Stone Agreement",
        Sector.NATURAL_STONE,
        Phase.IMPLEMENTATION,
        1,
        5,
        "Dutch and Belgian stone importers tackle child labour and silicosis in quarries.",
        "Nederlandse en Belgische natuursteenbedrijven pakken kinderarbeid en silicose in groeves aan.",
    ),
    (
        "metals",
        "IMVO-convenant Metallurgie",
        "Metals Sector Agreement",
        Sector.METALS,
        Phase.DIALOGUE,
        0,
        5,
        "Metals companies negotiate agreements on mineral sourcing risks.",
        "Metaalbedrijven onderhandelen over afspraken over risico's bij de winning van mineralen.",
    ),
    (
        "floriculture",
        "IMVO-convenant Sierteelt",
        "Floriculture Agreement",
        Sector.FLORICULTURE,
        Phase.EXPLORATION,
        0,
        5,
        "The floriculture sector explores a covenant on pesticides and labour rights.",
        "De sierteeltsector verkent een convenant over gewasbescherming en arbeidsrechten.",
    ),
    (
        "agri-food",
        "IMVO-convenant Land- en Tuinbouw",
        "Agri-food Agreement",
        Sector.AGRIFOOD,
        Phase.EXPLORATION,
        0,
        5,
        "Talks about a covenant in agriculture and horticulture.",
        "Besprekingen over een convenant in de land- en tuinbouw.",
    ),
]

# (number, title en, title nl, kpi en, kpi nl, unit, baseline, target, themes, yearly gain)
AGREEMENTS = {
    "garment-textile": [
        (
            "1",
            "Disclose production locations",
            "Productielocaties openbaar maken",
            "Members whose production locations are on the public list",
            "Leden van wie productielocaties op de openbare lijst staan",
            "%",
            0,
            100,
            ["disclosure"],
            30,
        ),
        (
            "2",
            "Every member has an approved action plan",
            "Elk lid heeft een goedgekeurd plan van aanpak",
            "Members meeting the due-diligence requirements",
            "Leden die voldoen aan de due-diligence-eisen",
            "%",
            8,
            90,
            ["employment"],
            22,
        ),
        (
            "3",
            "Close the living-wage gap at shared suppliers",
            "Leefbaarloonkloof dichten bij gedeelde leveranciers",
            "Shared suppliers with a living-wage plan",
            "Gedeelde leveranciers met een leefbaarloonplan",
            "facilities",
            0,
            120,
            ["living-wage"],
            18,
        ),
        (
            "4",
            "Reduce hazardous chemicals in wet processing",
            "Gevaarlijke chemicaliën in natte processen verminderen",
            "Wet-processing units not meeting the chemicals list",
            "Natte-procesbedrijven die niet voldoen aan de chemicaliënlijst",
            "facilities",
            240,
            60,
            ["water-chemicals-energy"],
            -35,
        ),
    ],
    "banking": [
        (
            "1",
            "Human-rights due diligence in corporate lending",
            "Due diligence op mensenrechten bij zakelijke kredieten",
            "Banks reporting on salient human-rights issues",
            "Banken die rapporteren over hun belangrijkste mensenrechtenrisico's",
            "banks",
            1,
            4,
            ["human-rights"],
            1,
        ),
        (
            "2",
            "Access to remedy",
            "Toegang tot herstel",
            "Banks with a grievance mechanism in line with UNGP 31",
            "Banken met een klachtenmechanisme volgens UNGP 31",
            "banks",
            0,
            4,
            ["human-rights"],
            1,
        ),
    ],
    "gold": [
        (
            "1",
            "Responsible sourcing from artisanal mines",
            "Verantwoorde inkoop uit kleinschalige mijnbouw",
            "Artisanal mines in improvement projects",
            "Kleinschalige mijnen in verbeterprojecten",
            "mines",
            0,
            25,
            ["human-rights", "environment"],
            6,
        ),
    ],
    "food-products": [
        (
            "1",
            "Living income for smallholders",
            "Leefbaar inkomen voor kleine boeren",
            "Members with a living-income plan for a priority commodity",
            "Leden met een leefbaarinkomenplan voor een prioritaire grondstof",
            "%",
            10,
            80,
            ["employment"],
            12,
        ),
    ],
    "insurance": [
        (
            "1",
            "Responsible investment policy",
            "Beleid verantwoord beleggen",
            "Insurers with an engagement programme",
            "Verzekeraars met een engagementprogramma",
            "%",
            40,
            100,
            ["human-rights", "environment"],
            14,
        ),
    ],
    "pension-funds": [
        (
            "1",
            "Due diligence on the investment portfolio",
            "Due diligence op de beleggingsportefeuille",
            "Funds that have prioritised their portfolio risks",
            "Fondsen die hun portefeuillerisico's hebben geprioriteerd",
            "%",
            20,
            100,
            ["human-rights"],
            20,
        ),
    ],
    "natural-stone": [
        (
            "1",
            "No child labour in quarries",
            "Geen kinderarbeid in groeves",
            "Quarries with independent child-labour monitoring",
            "Groeves met onafhankelijke monitoring op kinderarbeid",
            "quarries",
            0,
            40,
            ["employment"],
            9,
        ),
    ],
}

STEPS_DONE_BY_PHASE = {
    Phase.EXPLORATION: 2,
    Phase.DIALOGUE: 6,
    Phase.IMPLEMENTATION: 10,
    Phase.EVALUATION: 11,
    Phase.ENDED: 12,
}


def _org(name: str, type_: str, website: str = "", country: str = "NL") -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        slug=slugify(name)[:200],
        defaults={"name": name, "type": type_, "website": website, "country": country},
    )
    return org


def load_themes() -> None:
    """The OECD chapters (shared) exist on every install; see migration 0002."""
    for i, (code, nl, en) in enumerate(services.OECD_CHAPTERS, start=1):
        Theme.objects.get_or_create(
            code=code, covenant=None, defaults={"name_nl": nl, "name_en": en, "order": i}
        )


def _user(username: str, **kwargs) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(
        username, password=DEMO_PASSWORD, email=f"{username}@example.org", **kwargs
    )
    return user


def load() -> list[tuple[str, str]]:
    rng = random.Random(2016)  # the garment covenant's year: reproducible demo data
    today = timezone.localdate()
    load_themes()
    oecd = {t.code: t for t in Theme.objects.filter(covenant=None)}
    public = {name: _org(name, t, w) for name, t, w in PUBLIC_BODIES}
    ser = _org("Sociaal-Economische Raad", T.OTHER, "https://www.ser.nl")
    covenants: dict[str, Covenant] = {}
    for slug, nl, en, sector, phase, years_ago, term, desc_en, desc_nl in COVENANTS:
        start = (
            date(today.year - years_ago, 7, 1)
            if phase not in (Phase.EXPLORATION, Phase.DIALOGUE)
            else None
        )
        end = date(start.year + term, 6, 30) if start else None
        c = Covenant.objects.create(
            slug=slug,
            name_nl=nl,
            name_en=en,
            sector=sector,
            phase=phase,
            start_date=start,
            end_date=end,
            description_en=desc_en,
            description_nl=desc_nl,
            website="https://www.imvoconvenanten.nl",
        )
        covenants[slug] = c
        services.ensure_process_steps(c)
        done = STEPS_DONE_BY_PHASE[phase]
        anchor = start or date(today.year, 1, 15)
        for step in c.steps.all():
            if step.order <= done:
                step.status = ProcessStep.Status.DONE
                step.started = anchor - timedelta(days=60 * (done - step.order + 2))
                step.completed = step.started + timedelta(days=50)
            elif step.order == done + 1:
                step.status = ProcessStep.Status.IN_PROGRESS
                step.started = min(today, anchor + timedelta(days=30))
            step.save()
        # Parties: companies, branch organisations, unions, NGOs, government.
        parties = [_org(n, T.COMPANY) for n in COMPANIES[sector]]
        parties += [public[n] for n in BRANCH_OF[sector]] + [public[n] for n in CIVIL[sector]]
        parties.append(public["Ministerie van Buitenlandse Zaken"])
        since = start or anchor
        for org in parties:
            services.do_add_adherence(
                c,
                org,
                Adherence.Role.PARTY,
                since,
                consent_to_be_named=org.name in {"Tulipa Textiles", "Kustlijn Sportswear"},
            )
        for org in (public["Wageningen University & Research"], public["MVO Nederland"]):
            if sector in {"garment", "food", "floriculture", "agrifood", "natural_stone"}:
                services.do_add_adherence(c, org, Adherence.Role.STAKEHOLDER, since)
        # Governance: a steering group with an independent chair.
        if phase in (Phase.IMPLEMENTATION, Phase.EVALUATION, Phase.DIALOGUE):
            body = GovernanceBody.objects.create(
                covenant=c,
                name_nl="Stuurgroep",
                name_en="Steering group",
                description_en="Oversees implementation; decides by consensus.",
                description_nl="Ziet toe op de uitvoering; besluit bij consensus.",
            )
            # Terms of five years, the covenant's own term: no seat of the demo has lapsed.
            seat_term = (since, date(since.year + 5, since.month, since.day))
            Seat.objects.create(
                body=body,
                group=StakeholderGroup.INDEPENDENT,
                holder=CHAIRS[len(covenants) % len(CHAIRS)],
                is_chair=True,
                term_start=seat_term[0],
                term_end=seat_term[1],
            )
            # One seat per constituency among the parties, so representation is
            # equal; every seat has a substitute and a term.
            seated: dict[str, Organisation | None] = {
                StakeholderGroup.BUSINESS: ([o for o in parties if o.type == T.BRANCH] or parties)[
                    0
                ],
                StakeholderGroup.UNIONS: next((o for o in parties if o.type == T.UNION), None),
                StakeholderGroup.NGOS: next((o for o in parties if o.type == T.NGO), None),
                StakeholderGroup.GOVERNMENT: public["Ministerie van Buitenlandse Zaken"],
            }
            for group, holder in seated.items():
                if holder is not None:
                    Seat.objects.create(
                        body=body,
                        group=group,
                        organisation=holder,
                        holder=holder.name,
                        substitute=SUBSTITUTES[group],
                        term_start=seat_term[0],
                        term_end=seat_term[1],
                    )
        # Agreements with yearly KPI measurements.
        for number, t_en, t_nl, k_en, k_nl, unit, base, target, themes, gain in AGREEMENTS.get(
            slug, []
        ):
            baseline_date = start or anchor
            ag = Agreement.objects.create(
                covenant=c,
                number=number,
                title_en=t_en,
                title_nl=t_nl,
                kpi_name_en=k_en,
                kpi_name_nl=k_nl,
                kpi_unit=unit,
                baseline=Decimal(base),
                baseline_date=baseline_date,
                target=Decimal(target),
                deadline=end or baseline_date + timedelta(days=365 * 5),
                text_en=f"The parties commit to: {t_en.lower()}.",
                text_nl=f"Partijen verbinden zich tot: {t_nl.lower()}.",
                outcome_en="Less severe harm to workers and communities in the supply chain.",
                outcome_nl="Minder ernstige schade voor werknemers en gemeenschappen in de keten.",
            )
            ag.owners.set([o for o in parties if o.type in (T.COMPANY, T.BRANCH)][:3])
            ag.themes.set([oecd[t] for t in themes if t in oecd])
            value = Decimal(base)
            for year in range(baseline_date.year + 1, today.year + 1):
                on = date(year, 3, 31)
                if on > today:
                    break
                jitter = Decimal(rng.choice([-0.3, -0.1, 0, 0.2])) * abs(Decimal(gain))
                value = value + Decimal(gain) + jitter
                value = max(
                    min(value, max(Decimal(base), Decimal(target))),
                    min(Decimal(base), Decimal(target)),
                )
                KpiMeasurement.objects.create(
                    agreement=ag,
                    date=on,
                    # A count is whole: 56 production locations, never 55.80.
                    value=value.quantize(
                        Decimal(1) if KpiUnit.counts_whole(unit) else Decimal("0.01")
                    ),
                    source=f"Jaarlijkse beoordeling door het secretariaat, {year - 1}",
                )
    # Garment covenant sub-themes.
    garment = covenants["garment-textile"]
    for i, (code, nl, en, parent) in enumerate(services.GARMENT_THEMES, start=1):
        theme = Theme.objects.create(
            code=code, name_nl=nl, name_en=en, parent=oecd[parent], covenant=garment, order=i
        )
        if code == "living-wage":
            garment.agreements.get(number="3").themes.add(theme)
        if code == "water-chemicals-energy":
            garment.agreements.get(number="4").themes.add(theme)

    # Logins, one per role.
    admin = _user("admin", is_superuser=True, is_staff=True)
    secretariat = _user("secretariat", first_name="Sanne", last_name="de Vries")
    for slug in ("garment-textile", "natural-stone", "food-products", "gold"):
        roles.grant_role(secretariat, covenants[slug], CovenantRole.Role.SECRETARIAT)
    banking_sec = _user("secretariat2", first_name="Pieter", last_name="Jansen")
    for slug in ("banking", "insurance", "pension-funds", "metals", "floriculture", "agri-food"):
        roles.grant_role(banking_sec, covenants[slug], CovenantRole.Role.SECRETARIAT)
    _user(
        "company",
        organisation=Organisation.objects.get(slug=slugify("Noorderlicht Fashion B.V.")),
        first_name="Fatima",
        last_name="El Amrani",
    )
    company2 = _user(
        "company2",
        organisation=Organisation.objects.get(slug=slugify("Dijkstra Workwear")),
        first_name="Jeroen",
        last_name="Dijkstra",
    )
    union = _user("union", organisation=public["FNV"], first_name="Ilse", last_name="Vermeulen")
    committee = _user("committee", first_name="Joost", last_name="Bakker")
    roles.grant_role(committee, garment, CovenantRole.Role.COMMITTEE)
    government = _user(
        "government",
        organisation=public["Ministerie van Buitenlandse Zaken"],
        first_name="Eva",
        last_name="Mulder",
    )
    branch = _user("branch", organisation=public["Modint"], first_name="Bas", last_name="Kramer")
    ngo = _user("ngo", organisation=public["Arisa"], first_name="Noor", last_name="Hendriks")
    _party_life(garment, public, secretariat, union, today)
    _ = (admin, company2, union, ser, government, branch, ngo)
    return [
        ("admin", "platform administrator (also /admin/)"),
        ("secretariat", "secretariat of garment & textile, natural stone, food products, gold"),
        (
            "secretariat2",
            "secretariat of banking, insurance, pension funds and the covenants in preparation",
        ),
        ("company", "member company Noorderlicht Fashion B.V. (garment & textile)"),
        ("company2", "member company Dijkstra Workwear (garment & textile)"),
        ("union", "trade union FNV (party to several covenants)"),
        ("government", "Ministry of Foreign Affairs (government party; obstacles register)"),
        ("branch", "branch organisation Modint (its members in garment & textile)"),
        ("ngo", "NGO Arisa (party to the garment & textile covenant)"),
        ("committee", "complaints and disputes committee, garment & textile"),
    ]


def _party_life(
    garment: Covenant,
    public: dict[str, Organisation],
    secretariat: User,
    union: User,
    today: date,
) -> None:
    """The garment covenant's governance at work and every party's own part:
    steering-group meetings with agenda, papers, minutes and decisions; the
    union's and government's commitments; the branch organisation's members;
    an obstacle handled by government; an application waiting for review."""
    from imvo.covenants.services import governance, membership, parties

    fnv, bz, modint = public["FNV"], public["Ministerie van Buitenlandse Zaken"], public["Modint"]
    body = garment.bodies.get()
    # Modint's members among the garment companies (not every company is one).
    for name in ("Noorderlicht Fashion B.V.", "Dijkstra Workwear", "Tulipa Textiles"):
        Organisation.objects.get(slug=slugify(name)).branch_organisations.add(modint)
    # Commitments of the union and of government, with the same KPI machinery.
    start = garment.start_date or today
    for owner, number, t_en, t_nl, k_en, k_nl, unit, target, values in (
        (
            fnv, "U1",
            "Train worker representatives in production countries",
            "Werknemersvertegenwoordigers in productielanden trainen",
            "Worker representatives trained", "Getrainde werknemersvertegenwoordigers",
            "people", 200, [40, 95, 130],
        ),
        (
            bz, "G1",
            "Raise union access with the governments of production countries",
            "Toegang voor vakbonden aankaarten bij overheden van productielanden",
            "Countries where embassies raised union access",
            "Landen waar ambassades vakbondstoegang aankaartten",
            "countries", 6, [1, 3],
        ),
    ):  # fmt: skip
        ag = Agreement.objects.create(
            covenant=garment, number=number, title_en=t_en, title_nl=t_nl,
            kpi_name_en=k_en, kpi_name_nl=k_nl, kpi_unit=unit, baseline=Decimal(0),
            baseline_date=start, target=Decimal(target), deadline=garment.end_date or today,
            text_en=f"{owner.name} commits to: {t_en.lower()}.",
            text_nl=f"{owner.name} verbindt zich tot: {t_nl.lower()}.",
        )  # fmt: skip
        ag.owners.set([owner])
        for i, value in enumerate(values, start=1):
            on = date(start.year + i, 3, 31)
            if on <= today:
                KpiMeasurement.objects.create(
                    agreement=ag, date=on, value=Decimal(value),
                    source=f"{owner.name}, jaarcijfers {on.year - 1}",
                )  # fmt: skip
    # Steering-group meetings: one held (minutes for the parties, a paper for the
    # body), one coming; decisions by consensus and by vote.
    held = governance.check_schedule_meeting(
        secretariat, body, today - timedelta(days=60), "SER, Den Haag"
    )
    governance.check_add_agenda_item(
        secretariat, held, "Jaarplan van het secretariaat", "The secretariat's year plan",
        "Concept-jaarplan: due-diligencebeoordelingen in het voorjaar, klachtenevaluatie.",
        "Draft year plan: due-diligence assessments in spring, complaints evaluation.",
        "body",
    )  # fmt: skip
    governance.check_add_agenda_item(
        secretariat, held, "Toegang voor vakbonden in Ethiopië", "Union access in Ethiopia",
        "Notitie van FNV over industriële parken.", "FNV's note on industrial parks.",
        "parties",
    )  # fmt: skip
    governance.check_record_minutes(
        secretariat, held,
        "De stuurgroep stelt het jaarplan vast en vraagt de overheid de toegang voor "
        "vakbonden in Ethiopië aan te kaarten.",
        "The steering group adopts the year plan and asks government to raise union access "
        "in Ethiopia.",
        "parties",
    )  # fmt: skip
    governance.check_record_decision(
        secretariat, body, "De stuurgroep stelt het jaarplan vast.",
        "The steering group adopts the year plan.", meeting=held,
    )  # fmt: skip
    exclusion = governance.check_record_decision(
        secretariat, body,
        "Molenaar Uniformen wordt uitgesloten: geen actieplan na formele ingebrekestelling.",
        "Molenaar Uniformen is excluded: no action plan after formal notice.",
        on=min(today, date(today.year - 1, 12, 15)), mode="vote",
        votes_for=4, votes_against=0, abstentions=1,
    )  # fmt: skip
    # One withdrawn member keeps its history; the withdrawal cites the decision it
    # rests on (the public page shows it).
    services.do_change_adherence(
        Adherence.objects.get(covenant=garment, organisation__slug=slugify("Molenaar Uniformen")),
        Adherence.Status.WITHDRAWN,
        on=date(today.year - 1, 12, 31),
        reason=(
            f"Geen actieplan na formele ingebrekestelling (besluit {exclusion.number}, stuurgroep)."
        ),
    )
    coming = governance.check_schedule_meeting(
        secretariat, body, today + timedelta(days=21), "SER, Den Haag"
    )
    governance.check_add_agenda_item(
        secretariat, coming, "Voortgang van de afspraken", "Progress on the agreements",
        "Cijfers per afspraak.", "Figures per agreement.", "body",
    )  # fmt: skip
    # An obstacle the union raised, taken up by government.
    obstacle = parties.check_raise_obstacle(
        union, garment, "ET", "Toegang voor vakbonden tot de industrieparken in Ethiopië",
        "Arbeidswet en parkregels houden vakbonden buiten de industrieparken waar leden inkopen.",
        "Kaart de toegang voor vakbonden aan bij het Ethiopische ministerie van Arbeid en de "
        "parkautoriteit.",
    )  # fmt: skip
    gov_user = User.objects.get(username="government")
    parties.check_accept_obstacle(gov_user, obstacle, "Ambassade Addis Abeba")
    parties.check_report_action(
        gov_user, obstacle, "Aangekaart in de bilaterale arbeidsdialoog met het ministerie."
    )
    # A company waiting for the secretariat's review.
    membership.check_apply(
        garment, "Zeeland Linen B.V.", "Ann de Wit", "ann@zeeland-linen.example",
        conditions_accepted=True, chamber_of_commerce="81234567",
        motivation="Wij kopen beddengoed in Pakistan in en willen samen met anderen due diligence doen.",
    )  # fmt: skip
