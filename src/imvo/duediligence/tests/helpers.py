"""Small builders for the due-diligence tests."""

from __future__ import annotations

from typing import Any

from imvo.duediligence import services
from imvo.duediligence.models import Question, Submission

# Worked example on the garment framework: answers per question code.
GARMENT_ANSWERS = {
    "policy-adopted": "yes",
    "responsible-person": "partly",
    "supplier-code": "no",
    "tier1-mapped": "yes",
    "beyond-tier1": "yes",
    "themes-assessed": "yes",
    "prioritised": "no",
    "smart-actions": "yes",
    "all-themes": "no",
    "purchasing": "partly",
    "leverage": "yes",
    "tracking": "yes",
    "public-report": "yes",
    "locations-public": "no",
    "consulted": "yes",
    "grievance": "no",
    "remedy": "no",
}


def answer_all(user: Any, sub: Submission, by_code: dict[str, str]) -> None:
    qs = Question.objects.filter(element__framework=sub.framework)
    services.save_answers(
        user, sub, {q.pk: (by_code.get(q.code, ""), f"because {q.code}") for q in qs}
    )


def garment_setup(w: Any):
    return services.install_framework(w.secretariat_x, w.covenant_x, "garment")
