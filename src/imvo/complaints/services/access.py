"""Who sees which case, and in which role: the one place every case page,
export and API answer asks (zulip's `access_stream_by_id` in spirit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imvo.accounts.services import (
    AnyUser,
    committee_covenant_ids,
    managed_covenant_ids,
    organisation_id,
    signed_in,
)
from imvo.complaints.audit import audit
from imvo.complaints.models import (
    COMPANY_STATES,
    MIN_REASON_CHARS,
    CaseTranslator,
    Complaint,
    Evidence,
    Forwarding,
    Recusal,
    RespondentNaming,
    State,
    Substitute,
)
from imvo.core.countries import display_name
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Organisation


class CaseNotFoundError(DomainError):
    """No such case for the person asking (also when it exists but is not theirs)."""


def complaints_visible_to(user: AnyUser) -> QuerySet[Complaint]:
    """The cases a user may see at all (`Complaint.objects.visible_to`), for a list."""
    return Complaint.objects.visible_to(user).select_related("covenant", "respondent")


def role_in_case(user: AnyUser, c: Complaint) -> str | None:
    """'committee', 'secretariat', 'company', 'filer', 'translator' or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if c.covenant_id in committee_covenant_ids(user):
        return "committee"
    # A case-bound grant ends for someone whose company became a party to the case
    # (named later, or sent it as a buyer): they see it as that company (T71).
    if is_substitute(user, c) and not is_company_party(user, c):
        return "committee"
    if c.covenant_id in managed_covenant_ids(user):
        return "secretariat"
    org = organisation_id(user)
    if org and (
        (org in respondent_ids(c) and c.state in COMPANY_STATES)
        or c.forwardings.filter(organisation_id=org).exists()
    ):
        return "company"
    if org and c.filed_by_organisation_id == org:
        return "filer"  # the union or NGO that filed it for workers (services/on_behalf)
    if CaseTranslator.objects.filter(
        complaint_id=c.pk, user_id=user.pk
    ).exists() and not is_company_party(user, c):
        return "translator"
    return None


def company_party_ids(c: Complaint) -> set[int]:
    """The member companies that are a party to the case: its respondents and the
    buyers of the location it was sent to (services/forwarding.py)."""
    forwarded = set(c.forwardings.values_list("organisation_id", flat=True))
    return respondent_ids(c) | forwarded


def is_company_party(user: AnyUser, c: Complaint) -> bool:
    """The user belongs to a company that is a party to the case: never a
    substitute member or a translator of it, whoever appointed them and when."""
    org = organisation_id(user)
    return org is not None and org in company_party_ids(c)


def respondent_ids(c: Complaint) -> set[int]:
    """The member companies the case is against: the one the complainant named
    and those the committee named later (services/respondents.py)."""
    named = set(
        RespondentNaming.objects.filter(complaint_id=c.pk).values_list("organisation_id", flat=True)
    )
    return named | ({c.respondent_id} if c.respondent_id else set())


def named_by_complainant(c: Complaint) -> int | None:
    """The member the complainant named at filing, if any (`Complaint.respondent`
    is also the first member the committee named, when the complainant named
    none)."""
    if c.respondent_id is None or c.namings.filter(organisation_id=c.respondent_id).exists():
        return None
    return c.respondent_id


def case_rows(
    user: AnyUser, qs: QuerySet[Complaint], today: date | None = None
) -> list[dict[str, Any]]:
    """The case list with the user's role per case, in a fixed number of queries."""
    today = today or timezone.localdate()
    committee, managed = committee_covenant_ids(user), managed_covenant_ids(user)
    org = organisation_id(user)
    recused = set(
        Recusal.objects.filter(user=signed_in(user)).values_list("complaint_id", flat=True)
    )
    forwarded = (
        set(Forwarding.objects.filter(organisation_id=org).values_list("complaint_id", flat=True))
        if org
        else set()
    )
    named = (
        set(
            RespondentNaming.objects.filter(organisation_id=org).values_list(
                "complaint_id", flat=True
            )
        )
        if org
        else set()
    )
    substitute = set(
        Substitute.objects.filter(user=signed_in(user)).values_list("complaint_id", flat=True)
    )
    translating = set(
        CaseTranslator.objects.filter(user=signed_in(user)).values_list("complaint_id", flat=True)
    )
    cases = list(qs)
    # Which member the committee named on which case (services/respondents.py).
    named_on = set(
        RespondentNaming.objects.filter(complaint_id__in=[c.pk for c in cases]).values_list(
            "complaint_id", "organisation_id"
        )
    )
    own_name = (
        Organisation.objects.filter(pk=org).values_list("name", flat=True).first() if org else None
    )
    rows = []
    for c in cases:
        # The user's company is a party to this case: no substitute's or
        # translator's grant of it counts (`role_in_case`, T71).
        party = org is not None and (c.respondent_id == org or c.pk in named or c.pk in forwarded)
        if c.covenant_id in committee or (c.pk in substitute and not party):
            role = "committee"
        elif c.covenant_id in managed:
            role = "secretariat"
        elif org and (
            c.pk in forwarded
            or ((c.respondent_id == org or c.pk in named) and c.state in COMPANY_STATES)
        ):
            role = "company"
        elif org and c.filed_by_organisation_id == org:
            role = "filer"
        elif c.pk in translating and not party:
            role = "translator"
        else:
            continue
        rows.append(
            {
                "c": c,
                "role": role,
                "company": _company_shown(c, role, org, own_name, named_on),
                "overdue": c.is_overdue(today),
                "recused": role == "committee" and c.pk in recused,
            }
        )
    return rows


def _company_shown(
    c: Complaint,
    role: str,
    org: int | None,
    own_name: str | None,
    named_on: set[tuple[int, int]],
) -> str:
    """The member company a case list row names, for `role` (T29 in docs/security.md).

    `Complaint.respondent` is the member the complainant named or, failing that,
    the first one the committee named. The committee side reads it. A company
    reads its own name when it is a respondent and nothing else: never a fellow
    respondent named beside it, nor, when the case was forwarded to it as a
    buyer of the location, the member the committee named (who else sources
    there). The complainant's side (the filing union or NGO, a translator) reads
    the member the complainant named, never one the committee named: the
    complainant is told only that the company concerned was identified.
    """
    if role in ("committee", "secretariat"):
        return str(c.respondent.name) if c.respondent else ""
    if role == "company":
        mine = org is not None and (c.respondent_id == org or (c.pk, org) in named_on)
        return (own_name or "") if mine else ""
    if c.respondent is None or (c.pk, c.respondent_id) in named_on:
        return ""
    return str(c.respondent.name)


@dataclass(frozen=True)
class CaseFilter:
    """What the case list is narrowed by: a theme (topic) code, the production
    location's country, the state, and free text."""

    theme: str = ""
    country: str = ""
    state: str = ""
    text: str = ""
    follow_up: bool = False  # closed cases with an after-closure answer to follow up

    @classmethod
    def from_query(cls, q: Any) -> CaseFilter:
        return cls(
            theme=str(q.get("theme", "")).strip()[:60],
            country=str(q.get("country", "")).strip().upper()[:2],
            state=str(q.get("state", "")).strip()[:20],
            text=str(q.get("q", "")).strip()[:200],
            follow_up=q.get("followup") == "1",
        )


def filter_cases(user: AnyUser, qs: QuerySet[Complaint], f: CaseFilter) -> list[dict[str, Any]]:
    """The case list narrowed by `f`, as `case_rows`.

    Theme, country and state are columns. The text is matched against the
    reference, the location's name and the company the row shows (T29) for
    every role, and for the committee and the secretariat the name of every
    member the committee named too (not only the first, which the row shows);
    against what the complainant wrote (and its translations) only for cases
    the user handles and may open: the company and a recused member must not learn a
    complaint's content by searching for words in it.
    """
    if f.state in State.values:
        qs = qs.filter(state=f.state)
    if f.theme:
        # A chapter (employment) finds its covenant sub-themes (living wage) too.
        qs = qs.filter(Q(themes__code=f.theme) | Q(themes__parent__code=f.theme)).distinct()
    if f.country:
        qs = qs.filter(facility_country=f.country)
    if f.follow_up:
        qs = qs.filter(
            after_closure_checks__follow_up_needed=True,
            after_closure_checks__follow_up_done_on__isnull=True,
        ).distinct()
    rows = case_rows(user, qs.prefetch_related("themes")[:500])
    if not f.text:
        return rows
    needle = f.text.casefold()
    named: dict[int, list[str]] = {}
    handled = [r["c"].pk for r in rows if r["role"] in ("committee", "secretariat")]
    for complaint_id, name in RespondentNaming.objects.filter(complaint_id__in=handled).values_list(
        "complaint_id", "organisation__name"
    ):
        named.setdefault(complaint_id, []).append(name)
    found = []
    for row in rows:
        c = row["c"]
        plain = [c.reference, c.facility_name, row["company"], *named.get(c.pk, [])]
        if row["role"] in ("committee", "secretariat") and not row["recused"]:
            plain += searchable_content(c)
        if any(needle in (p or "").casefold() for p in plain):
            found.append(row)
    return found


def searchable_content(c: Complaint) -> list[str]:
    """What the complainant wrote and its translations (decrypted for the search)."""
    from imvo.complaints.models import Translation

    data = c.confidential()
    texts = [str(data.get(k, "")) for k in ("description", "respondent_text", "location")]
    texts += [t.text for t in Translation.objects.filter(complaint=c, message__isnull=True)]
    return texts


def answer_files_for(user: AnyUser, c: Complaint, role: str) -> QuerySet[Evidence]:
    """The files respondents attached to their answers (services/answers.py) that
    `role` may see on an opened case: the committee side all of them, a company
    its own, anyone else none. In the order they came in: a file is addressed by its
    number in this list (`answers.answer_file_for`)."""
    qs = c.evidence.filter(company__isnull=False).select_related("company").order_by("pk")
    if role in ("committee", "secretariat"):
        return qs
    if role == "company":
        return qs.filter(company_id=organisation_id(user))
    return qs.none()


def is_substitute(user: AnyUser, c: Complaint) -> bool:
    """Appointed by the secretariat to this case as a substitute committee member."""
    return bool(
        user
        and user.is_authenticated
        and Substitute.objects.filter(complaint_id=c.pk, user_id=user.pk).exists()
    )


def is_recused(user: AnyUser, c: Complaint) -> bool:
    return bool(
        user and user.is_authenticated and Recusal.objects.filter(complaint=c, user=user).exists()
    )


def get_case(user: AnyUser, reference: str, log: bool = True) -> tuple[Complaint, str]:
    """Open a case by its reference: scoped, refused to recused members, written
    to the audit trail. The reference, not the database id: ids count up in
    filing order, so an address with one told how many cases there are and,
    by answering 404 or 403, whether a number was a case (T39). A case someone
    may not see, a reference that names none and a number all give the same
    "No such case"."""
    if not reference:
        raise CaseNotFoundError(_("No such case."))
    c = complaints_visible_to(user).filter(reference=reference).order_by("pk").first()
    role = role_in_case(user, c) if c else None
    if c is None or role is None:
        raise CaseNotFoundError(_("No such case."))
    if role == "committee" and is_recused(user, c):
        audit(user, "refused-recused", c)
        raise PermissionDeniedError(
            _(
                "You are recused from this case because of a conflict of interest; you cannot open it."
            )
        )
    if log:
        audit(user, "opened", c, role=role)
    return c, role


def require_reason(text: str | None, message: str) -> str:
    """The reason written for a step, stripped; `message` (with %(n)d for the minimum)
    when it is shorter than MIN_REASON_CHARS. Every step that must give its reasons
    (a move, a naming) holds them to the same minimum."""
    reason = (text or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise DomainError(message % {"n": MIN_REASON_CHARS})
    return reason


def require_handler(user: AnyUser, c: Complaint, committee_only: bool = False) -> str:
    """The user's role if they handle the case (committee, not recused, or secretariat)."""
    role = role_in_case(user, c)
    if role not in ("committee", "secretariat"):
        raise CaseNotFoundError(_("No such case."))
    if role == "committee" and is_recused(user, c):
        raise PermissionDeniedError(_("You are recused from this case."))
    if committee_only and role != "committee":
        raise PermissionDeniedError(_("Only the complaints committee may take this step."))
    return role


def theme_choices(qs: QuerySet[Complaint]) -> list[tuple[str, str]]:
    """The themes (topics) of the cases in `qs`, for the case list's filter."""
    from imvo.covenants.models import Theme

    themes = list(Theme.objects.filter(complaints__in=qs).select_related("parent").distinct())
    by_code = {t.code: str(t.name) for t in themes}
    by_code |= {t.parent.code: str(t.parent.name) for t in themes if t.parent}
    return sorted(by_code.items(), key=lambda kv: kv[1])


def country_choices(qs: QuerySet[Complaint]) -> list[tuple[str, str]]:
    """The countries of the production locations in `qs`, for the filter."""
    codes = set(qs.exclude(facility_country="").values_list("facility_country", flat=True))
    return sorted(((c, display_name(c)) for c in codes), key=lambda kv: kv[1])
