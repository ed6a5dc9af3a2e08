"""Demo data for the learning library: a few items the garment covenant's
members published (runs after the covenants' demo data)."""

from __future__ import annotations

from imvo.accounts.models import User
from imvo.covenants.models import Covenant, Organisation, Theme

LEARNING = [
    (
        "Noorderlicht Fashion B.V.",
        "good_practice",
        "Joint audit follow-up with a trade union in Bangladesh",
        "freedom-of-association",
        "Remediation plans agreed with the factory union close findings faster.",
        "Instead of commissioning a separate audit, we shared the findings of an existing "
        "audit with the local union and agreed a remediation plan together. Findings were "
        "closed in four months instead of nine, and workers knew whom to turn to.",
    ),
    (
        "Dijkstra Workwear",
        "lesson",
        "Mapping spinning mills beyond tier 1",
        "raw-materials",
        "Asking suppliers for their yarn sources works only with a clear reason and a template.",
        "Our first request for yarn sources got a low response. A short template, explained "
        "in the supplier's language, and a commitment not to switch suppliers because of "
        "what they disclose raised the response to most of our volume.",
    ),
]


def load() -> list[tuple[str, str]]:
    from imvo.library.services import publish_learning_item

    garment = Covenant.objects.filter(slug="garment-textile").first()
    secretariat = User.objects.filter(username="secretariat").first()
    if garment is None or secretariat is None:
        return []
    for org_name, kind, title, theme_code, summary, text in LEARNING:
        org = Organisation.objects.filter(name=org_name).first()
        author = User.objects.filter(organisation=org).first() if org else None
        theme = Theme.objects.filter(code=theme_code, covenant=garment).first()
        publish_learning_item(
            author or secretariat, garment, title, text, kind=kind, theme=theme, summary=summary
        )
    return []
