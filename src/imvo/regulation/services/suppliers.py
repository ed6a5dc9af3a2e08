"""Information requests to suppliers, under the value-chain cap.

A member asks a supplier for due-diligence information through the platform:
a questionnaire built from the covenant's framework and mapping. The CSRD
value-chain cap (Directive (EU) 2026/470) says a reporting company may not
require from value-chain companies with up to 1,000 employees more than the
voluntary SME standard (VSME), and those companies may decline. So for such a
supplier every question the mapping does not mark as within the VSME standard
is marked, the supplier is told it may decline it, and a decline is recorded
as a decline: it never counts as a missing answer (`completeness` counts only
what may be required).

The supplier answers through a secret link (no account); the member sends it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.seams import AnyUser
from imvo.core.errors import DomainError
from imvo.covenants.models import Covenant, Organisation
from imvo.duediligence.models import Framework, Question
from imvo.regulation.models import SupplierRequest
from imvo.regulation.services.access import require_active_member
from imvo.regulation.services.mapping import effective_mapping, lookup

CAP_EMPLOYEES = 1000
MAX_ANSWER = 4000


def questionnaire(covenant: Covenant, employees: int) -> list[dict[str, object]]:
    """The covenant's framework questions, each marked when beyond the VSME standard
    for a supplier of this size."""
    fw = Framework.objects.filter(covenant=covenant, active=True).order_by("-created").first()
    if fw is None:
        raise DomainError(
            _("The secretariat has not yet published an assessment framework to ask from.")
        )
    mapping = effective_mapping(covenant)
    capped = employees <= CAP_EMPLOYEES
    out: list[dict[str, object]] = []
    for q in Question.objects.filter(element__framework=fw).select_related("element"):
        m = lookup(mapping, f"question:{q.code}", q.element.oecd_step)
        out.append({"key": q.code, "text": q.text, "beyond_vsme": capped and not m.vsme})
    return out


def check_create(
    user: AnyUser, covenant: Covenant, supplier: str, employees: int | str
) -> SupplierRequest:
    org = require_active_member(user, covenant)
    if not supplier.strip():
        raise DomainError(_("Name the supplier."))
    try:
        n = int(str(employees).strip())
    except ValueError:
        raise DomainError(_("Give the supplier's number of employees as a whole number.")) from None
    if n < 1:
        raise DomainError(_("A supplier has at least one employee."))
    return do_create(covenant, org, supplier.strip()[:300], n)


def do_create(
    covenant: Covenant, org: Organisation, supplier: str, employees: int
) -> SupplierRequest:
    return SupplierRequest.objects.create(
        covenant=covenant, organisation=org, supplier=supplier, employees=employees,
        questions=questionnaire(covenant, employees),
    )  # fmt: skip


def requests_of(user: AnyUser, covenant: Covenant) -> QuerySet[SupplierRequest]:
    return SupplierRequest.objects.visible_to(user).filter(covenant=covenant)


def by_token(token: str) -> SupplierRequest | None:
    if not token or len(token) > 64:
        return None
    return SupplierRequest.objects.filter(token=token).select_related("organisation").first()


def check_answer(
    request: SupplierRequest, answers: Mapping[str, str], declined: set[str]
) -> SupplierRequest:
    """The supplier's answers; a decline is accepted only for a question beyond the VSME
    standard (for other questions the member may require an answer)."""
    if request.answered:
        raise DomainError(_("This questionnaire has already been answered."))
    responses: dict[str, dict[str, object]] = {}
    for q in request.questions:
        key = str(q["key"])
        if key in declined:
            if not q["beyond_vsme"]:
                raise DomainError(
                    _("Question %(key)s is within the VSME standard: it cannot be declined.")
                    % {"key": key}
                )
            responses[key] = {"declined": True}
            continue
        text = (answers.get(key) or "").strip()
        if len(text) > MAX_ANSWER:
            raise DomainError(
                _("The answer to question %(key)s is longer than %(n)s characters.")
                % {"key": key, "n": MAX_ANSWER}
            )
        if text:
            responses[key] = {"answer": text}
    return do_answer(request, responses)


@transaction.atomic
def do_answer(request: SupplierRequest, responses: dict[str, dict[str, object]]) -> SupplierRequest:
    request.responses = responses
    request.answered = timezone.now()
    request.save(update_fields=["responses", "answered"])
    return request


@dataclass(frozen=True)
class Completeness:
    required: int  # questions that may be required of this supplier
    answered: int  # of those, answered
    declined: int  # questions beyond the VSME standard the supplier declined (no penalty)

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.required) if self.required else None


def completeness(request: SupplierRequest) -> Completeness:
    """How complete the answers are, counting only what may be required: a decline
    of a question beyond the VSME standard lowers nothing."""
    required = [q for q in request.questions if not q["beyond_vsme"]]
    answered = sum(1 for q in required if "answer" in request.responses.get(str(q["key"]), {}))
    declined = sum(1 for r in request.responses.values() if r.get("declined"))
    return Completeness(len(required), answered, declined)
