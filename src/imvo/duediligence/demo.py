"""Demo data for the due-diligence cycle in the garment and textile covenant.

The garment framework is installed on the garment covenant; its member
companies handed in and were assessed in each of the last three years, with
scores that improve year on year (as in the real covenant: few met the
requirements in the first year, most by the third). In the current year
Dijkstra Workwear (``company2``) has submitted and waits in ``secretariat``'s
queue; Noorderlicht Fashion (``company``) has a draft. Molenaar Uniformen went
through the escalation path to exclusion; Zeebries Kids is in dialogue.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from imvo.accounts.models import User
from imvo.covenants.models import Covenant, Organisation, Theme
from imvo.duediligence.models import (
    Action,
    Answer,
    EscalationStep,
    ProgressUpdate,
    Question,
    RemediationCase,
    Submission,
)
from imvo.duediligence.services.frameworks import check_install_framework
from imvo.duediligence.services.review import check_review
from imvo.duediligence.services.scoring import scorecard
from imvo.duediligence.services.submissions import do_snapshot

# Company -> how far along it was in the first year (0..1); each year adds about 0.15.
START_QUALITY = {
    "Noorderlicht Fashion B.V.": 0.55,
    "Dijkstra Workwear": 0.45,
    "Tulipa Textiles": 0.7,
    "Van Amstel Denim": 0.5,
    "Kustlijn Sportswear": 0.62,
    "Polder Knitwear": 0.4,
    "Zeebries Kids": 0.05,
    "Molenaar Uniformen": 0.15,
}


def _answers(rng: random.Random, questions: list[Question], quality: float) -> dict[int, str]:
    out = {}
    for q in questions:
        if q.kind == Question.Kind.TEXT:
            out[q.pk] = ""
            continue
        r = rng.random()
        out[q.pk] = "yes" if r < quality else ("partly" if r < quality + 0.2 else "no")
    return out


def _fill(sub: Submission, answers: dict[int, str], questions: list[Question]) -> None:
    Answer.objects.bulk_create(
        Answer(
            submission=sub,
            question=q,
            value=answers[q.pk],
            explanation=(
                "Consulted FNV and Arisa on our risk analysis."
                if q.kind == Question.Kind.TEXT
                else f"See our {sub.year} due-diligence report, section {q.element.order}."
            ),
        )
        for q in questions
    )


def _hand_in(sub: Submission, when: datetime) -> None:
    """What `check_submit` does for a member, for companies without a demo login."""
    sub.self_score = scorecard(sub).self_score
    sub.status = Submission.Status.SUBMITTED
    sub.submitted_at = when
    sub.save()
    do_snapshot(sub)


def load() -> list[tuple[str, str]]:
    rng = random.Random(2017)
    today = timezone.localdate()
    garment = Covenant.objects.get(slug="garment-textile")
    secretariat = User.objects.get(username="secretariat")
    fw = check_install_framework(secretariat, garment, "garment")
    # The metals covenant (in dialogue) gets the maturity framework to try out.
    metals = Covenant.objects.filter(slug="metals").first()
    if metals:
        check_install_framework(User.objects.get(username="secretariat2"), metals, "maturity")
    questions = list(
        Question.objects.filter(element__framework=fw)
        .select_related("element")
        .order_by("element__order", "order")
    )
    orgs = {name: Organisation.objects.get(slug=slugify(name)) for name in START_QUALITY}
    years = [today.year - 3, today.year - 2, today.year - 1]
    future = today + timedelta(days=120)
    for i, year in enumerate(years):
        for name, q0 in START_QUALITY.items():
            if name == "Zeebries Kids" and i == 0:
                continue  # joined late: first submission in the second year
            quality = min(0.97, q0 + 0.17 * i)
            if name == "Molenaar Uniformen":
                quality = 0.15
            sub = Submission.objects.create(
                covenant=garment,
                organisation=orgs[name],
                year=year,
                framework=fw,
                created=datetime(year, 9, 1, tzinfo=timezone.get_current_timezone()),
            )
            _fill(sub, _answers(rng, questions, quality), questions)
            _hand_in(sub, datetime(year, 10, 15, tzinfo=timezone.get_current_timezone()))
            card = scorecard(sub)
            decision = card.suggested_decision
            feedback = {
                "meets": "Uw plan voldoet aan de eisen van het convenant. Blijf de voortgang publiceren.",
                "partly": "Goed begin. Voeg SMART-acties toe voor elk geprioriteerd thema, "
                "in het bijzonder leefbaar loon en vrijheid van vakvereniging.",
                "does_not_meet": "De risicoanalyse dekt niet uw hele keten en voor de meeste "
                "geprioriteerde risico's is geen actie. Herzie het plan voor de deadline.",
            }[decision]
            check_review(
                secretariat,
                sub,
                {},
                feedback,
                "decide",
                decision,
                None if decision == "meets" else future,
            )
            # Back-date the decision to the assessment round it belonged to.
            Submission.objects.filter(pk=sub.pk).update(
                decided_at=datetime(year + 1, 2, 15, tzinfo=timezone.get_current_timezone()),
                improvement_deadline=None if decision == "meets" else date(year + 1, 6, 30),
            )
    # Current year: company2 waits in the queue, company has a draft.
    for name, hand_in in (("Dijkstra Workwear", True), ("Noorderlicht Fashion B.V.", False)):
        sub = Submission.objects.create(
            covenant=garment, organisation=orgs[name], year=today.year, framework=fw
        )
        answers = _answers(rng, questions, 0.9 if hand_in else 0.85)
        if not hand_in:
            # A draft is unfinished: the stakeholder element is still open.
            for q in questions:
                if q.element.code == "stakeholders":
                    answers[q.pk] = ""
        _fill(sub, answers, questions)
        if hand_in:
            _hand_in(sub, timezone.now() - timedelta(days=3))

    # Action plans with progress, linked to the covenant's agreements.
    themes = {t.code: t for t in Theme.objects.filter(covenant=garment)}
    agreements = {a.number: a for a in garment.agreements.all()}
    plans = [
        (
            "Noorderlicht Fashion B.V.",
            "living-wage",
            "Leefbaarloonkloof bij twee leveranciers in Bangladesh",
            "Een leefbaarloontoeslag via de orderprijs betalen bij twee gedeelde leveranciers",
            "Hoofd inkoop",
            "2 leveranciers betalen minstens de Asia Floor Wage-benchmark",
            40000,
            "3",
            60,
        ),
        (
            "Noorderlicht Fashion B.V.",
            "freedom-of-association",
            "Beperkte vakbondstoegang bij een Turkse confectie-eenheid",
            "Gezamenlijke training met FNV voor management en werknemers over vrijheid van vakvereniging",
            "MVO-manager",
            "Training gegeven; werknemerscomité gekozen",
            8000,
            "2",
            30,
        ),
        (
            "Noorderlicht Fashion B.V.",
            "water-chemicals-energy",
            "Gevaarlijke chemicaliën bij het wassen van denim",
            "ZDHC-afvalwatertests eisen bij alle natte-procesbedrijven",
            "Kwaliteitsmanager",
            "Alle 4 natte-procesbedrijven getest en geslaagd",
            12000,
            "4",
            100,
        ),
        (
            "Dijkstra Workwear",
            "health-safety",
            "Brandveiligheid in een Pakistaanse werkkledingfabriek",
            "Een brandveiligheidsaudit en het verbeterplan financieren",
            "Productiedirecteur",
            "Audit gedaan; alle kritieke bevindingen gesloten",
            15000,
            "2",
            20,
        ),
        (
            "Tulipa Textiles",
            "living-wage",
            "Lonen onder leefbaar loon in een Indiase spinnerij",
            "Begroot stappenplan leefbaar loon met de spinnerij",
            "Duurzaamheidsmanager",
            "Stappenplan afgesproken en eerste loonsverhoging betaald",
            25000,
            "3",
            75,
        ),
        (
            "Van Amstel Denim",
            "child-labour",
            "Risico op kinderarbeid bij de inkoop van katoen",
            "Alleen traceerbaar katoen inkopen met toezicht op kinderarbeid",
            "Inkoper katoen",
            "100% van het katoen traceerbaar tot de egreneerderij",
            None,
            "1",
            45,
        ),
        (
            "Kustlijn Sportswear",
            "discrimination-gender",
            "Gendergerelateerd geweld bij een Ethiopische leverancier",
            "Een klachtenlijn voor werknemers opzetten met een lokale ngo",
            "HR-directeur",
            "Klachtenlijn loopt; zaken binnen 30 dagen afgehandeld",
            6000,
            "2",
            80,
        ),
    ]
    for name, theme, risk, what, owner, target, budget, ag, progress in plans:
        start = date(today.year - 1, 3, 1)
        action = Action.objects.create(
            covenant=garment,
            organisation=orgs[name],
            theme=themes.get(theme),
            risk=risk,
            what=what,
            owner=owner,
            start=start,
            deadline=date(today.year + 1, 12, 31),
            target=target,
            budget=None if budget is None else Decimal(budget),
            status=Action.Status.DONE if progress >= 100 else Action.Status.IN_PROGRESS,
            progress=progress,
        )
        if ag in agreements:
            action.agreements.add(agreements[ag])
        ProgressUpdate.objects.create(
            action=action,
            date=min(today, start + timedelta(days=200)),
            progress=progress,
            text="Afgesproken met de leverancier; eerste stappen gezet.",
        )
    RemediationCase.objects.create(
        covenant=garment,
        organisation=orgs["Noorderlicht Fashion B.V."],
        opened=date(today.year - 1, 11, 5),
        what_happened="Overwerk bij een leverancier in Tirupur is drie maanden niet betaald.",
        affected="Ongeveer 60 naaisters en machinebedieners, vooral vrouwen.",
        remedy="Nabetaling van het overwerk, gecontroleerd door een lokale ngo.",
        status=RemediationCase.Status.REMEDIED,
    )
    # The escalation path: Molenaar to exclusion (its adherence was already withdrawn in the
    # covenants demo), Zeebries in dialogue after "does not meet".
    last = today.year - 1
    for step, on, reason in (
        ("dialogue", date(last, 3, 1), "Het actieplan voldoet niet aan de eisen."),
        ("formal_notice", date(last, 7, 1), "Geen herzien actieplan na de dialoog."),
        ("exclusion", date(last, 12, 31), "Geen actieplan ingediend na formele ingebrekestelling."),
    ):
        EscalationStep.objects.create(
            covenant=garment,
            organisation=orgs["Molenaar Uniformen"],
            step=step,
            date=on,
            reason=reason,
            by=secretariat,
        )
    EscalationStep.objects.create(
        covenant=garment,
        organisation=orgs["Zeebries Kids"],
        step="dialogue",
        date=date(today.year, 2, 20),
        deadline=date(today.year, 6, 30),
        by=secretariat,
        reason="Voldeed vorig jaar niet aan de eisen; spreek een herstelplan af.",
    )
    return []
