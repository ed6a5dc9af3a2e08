# ruff: noqa: RUF001  (Turkish dotless i and Chinese punctuation are meant)
"""Demo complaints for the garment and textile covenant, in several languages and states.

Runs after the covenants demo: uses its `committee` and `secretariat` users and
the members Noorderlicht Fashion B.V. and Dijkstra Workwear.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from imvo.accounts.models import User
from imvo.complaints.models import CommitteeMembership, Complaint
from imvo.complaints.services import filing, publication, workflow
from imvo.covenants.models import Covenant, Organisation

# (language, days ago, respondent slug source name or None, topics, description, path of states)
CASES: list[dict[str, Any]] = [
    {
        "lang": "bn",
        "days": 1,
        "org": "Noorderlicht Fashion B.V.",
        "topics": ["wages"],
        "text": "গত তিন মাস ধরে আমাদের ওভারটাইমের টাকা দেওয়া হয়নি। সুপারভাইজার বলেছেন অভিযোগ করলে চাকরি যাবে।",
        "where": "Gazipur, Bangladesh",
        "path": [],
    },
    {
        "lang": "tr",
        "days": 5,
        "org": "Dijkstra Workwear",
        "topics": ["safety"],
        "text": "Boyahanede havalandırma yok, iki arkadaşımız bayıldı. Maske verilmiyor.",
        "where": "Denizli, Türkiye",
        "path": ["acknowledged"],
    },
    {
        "lang": "hi",
        "days": 45,
        "org": None,
        "topics": ["forced"],
        "text": "ठेकेदार ने हमारे पहचान पत्र रख लिए हैं और कहता है कि कर्ज़ चुकाने तक हम नहीं जा सकते।",
        "where": "Tiruppur, India",
        "path": ["acknowledged", "admissibility"],
    },
    {
        "lang": "vi",
        "days": 70,
        "org": "Noorderlicht Fashion B.V.",
        "topics": ["union", "discrimination"],
        "text": "Ba công nhân bị sa thải sau khi thành lập công đoàn tại nhà máy.",
        "where": "Bình Dương, Việt Nam",
        "path": ["acknowledged", "admissibility", "admissible", "mediation"],
        "summary": "Three workers say they were dismissed after forming a union at a supplier of yours in Binh Duong (Viet Nam). The committee asks for your account and your supplier's records.",
    },
    {
        "lang": "es",
        "days": 160,
        "org": "Dijkstra Workwear",
        "topics": ["hours", "wages"],
        "text": "Turnos de 14 horas en temporada alta sin pago de horas extra.",
        "where": "Ciudad de Guatemala",
        "path": [
            "acknowledged",
            "admissibility",
            "admissible",
            "investigation",
            "decision",
            "remediation",
        ],
    },
    {
        "lang": "en",
        "days": 300,
        "org": "Noorderlicht Fashion B.V.",
        "topics": ["safety"],
        "text": "The emergency exits of the cutting floor are locked during the night shift.",
        "where": "Karachi, Pakistan",
        "path": [
            "acknowledged",
            "admissibility",
            "admissible",
            "mediation",
            "remediation",
            "closed",
        ],
        "settlement": "The member company and its supplier keep the emergency exits open at all hours, "
        "train fire wardens on every shift and allow unannounced visits for a year.",
        "publish": (
            "Locked emergency exits at a supplier in Pakistan",
            "A workers' representative complained that emergency exits at a supplier's cutting floor were locked at night. "
            "In mediation the member company and the supplier agreed to keep the exits open, to train fire wardens and to "
            "allow unannounced visits. A follow-up audit confirmed the exits are open.",
        ),
    },
    {
        "lang": "zh-hans",
        "days": 25,
        "org": None,
        "topics": ["environment"],
        "text": "工厂晚上把染料废水排进河里，村里的鱼都死了。",
        "where": "Shaoxing, China",
        "path": ["acknowledged", "admissibility", "inadmissible"],
    },
]


# Days after filing at which each step was taken in the demo (most within the limits).
STEP_DAY = {
    "acknowledged": 3,
    "admissibility": 5,
    "inadmissible": 22,
    "admissible": 25,
    "mediation": 30,
    "investigation": 30,
    "decision": 85,
    "remediation": 100,
    "closed": 200,
}


def load() -> list[tuple[str, str]]:
    garment = Covenant.objects.get(slug="garment-textile")
    committee = User.objects.get(username="committee")
    secretariat = User.objects.get(username="secretariat")
    CommitteeMembership.objects.get_or_create(
        covenant=garment,
        user=committee,
        defaults={"seat": CommitteeMembership.Seat.CHAIR, "declared_interests": "None declared."},
    )
    now = timezone.now()
    receipt = ""
    for spec in CASES:
        org = Organisation.objects.get(slug=slugify(spec["org"])) if spec["org"] else None
        filed = filing.check_file_complaint(
            filing.NewComplaint(
                covenant=garment,
                description=spec["text"],
                anonymous=True,
                respondent=org,
                location=spec["where"],
                topics=spec["topics"],
                language=spec["lang"],
                remedy_sought="",
            )
        )
        c = filed.complaint
        receipt = receipt or filed.receipt
        c.filed_at = now - timedelta(days=spec["days"])
        c.state_since = c.filed_at
        c.reference = f"{c.filed_at:%Y}-{c.reference.partition('-')[2]}"  # back-dated year
        c.set_due()
        c.save()
        if spec["path"]:
            workflow.check_assign_officer(secretariat, c, secretariat)
        for state in spec["path"]:
            at = c.filed_at + timedelta(days=STEP_DAY[state])
            actor = secretariat if state in ("acknowledged", "admissibility") else committee
            workflow.check_move(
                actor,
                c,
                state,
                reason="Recorded in the demo."
                if state != "inadmissible"
                else "The factory is not a supplier of any member and the covenant has no member linked to it.",
                record=workflow.StepRecord(
                    decision_text="The member company pays the overtime owed for the last 12 months and its supplier caps shifts at 10 hours."
                    if state == "decision"
                    else "",
                    remedy_agreed=True if state in ("decision", "remediation") else None,
                    remedy_carried_out=True if state == "closed" else None,
                    ground={
                        "inadmissible": "not_member",
                        "closed": "settled" if spec.get("settlement") else "decided",
                    }.get(state, ""),
                    settlement_terms=spec.get("settlement", "") if state == "remediation" else "",
                ),
                now=at,
            )
            c.refresh_from_db()
        if spec.get("summary"):
            workflow.check_share_with_company(committee, c, spec["summary"], [])
            workflow.check_post_message(
                committee,
                c,
                "We have started a mediation. Please send your supplier's records of the dismissals.",
                to_company=True,
            )
        if spec["path"]:
            workflow.check_post_message(
                secretariat,
                c,
                "We received your complaint. The committee will look at it.",
                to_complainant=True,
            )
        if spec.get("publish"):
            title, text = spec["publish"]
            pub = publication.check_draft_publication(secretariat, c, title, text)
            publication.check_publish(committee, pub)
    assert Complaint.objects.filter(covenant=garment).count() >= len(CASES)
    return [("(no login)", f"complaint receipt code {receipt} (follow it at /complaints/follow/)")]
