"""Taking in a complaint: from the public form, the API or a partner gateway.

Anyone may file, without an account and anonymously if they wish. The receipt
code is shown once and never stored (only its hash).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.complaints import limits
from imvo.complaints.audit import audit
from imvo.complaints.evidence import check_file_count, store_evidence
from imvo.complaints.models import Complaint, to_the_hour
from imvo.complaints.receipts import hash_receipt, new_receipt, new_reference
from imvo.core.errors import DomainError
from imvo.core.text import whole_number
from imvo.covenants.models import Adherence, Covenant, Organisation, Theme
from imvo.supplychain.seams import public_facility_search

logger = logging.getLogger("imvo.complaints")

# Plain-language topics on the form, mapped to the covenant's theme codes
# (first the covenant's own sub-theme, else the OECD chapter).
TOPICS: list[tuple[str, Any, tuple[str, ...]]] = [
    (
        "wages",
        gettext_lazy("Wages: pay too low, late or not paid, unfair deductions"),
        ("living-wage", "employment"),
    ),
    ("hours", gettext_lazy("Working hours and overtime"), ("employment",)),
    ("safety", gettext_lazy("Health and safety at work"), ("health-safety", "employment")),
    (
        "discrimination",
        gettext_lazy("Discrimination, harassment or violence"),
        ("discrimination-gender", "human-rights"),
    ),
    ("child", gettext_lazy("Child labour"), ("child-labour", "employment")),
    (
        "forced",
        gettext_lazy("Forced labour: cannot leave, papers taken, debts"),
        ("forced-labour", "employment"),
    ),
    ("union", gettext_lazy("Joining or forming a union"), ("freedom-of-association", "employment")),
    (
        "environment",
        gettext_lazy("Pollution, harm to nature or animals"),
        ("water-chemicals-energy", "environment"),
    ),
    ("community", gettext_lazy("Land, housing or harm to the community"), ("human-rights",)),
    ("other", gettext_lazy("Something else"), ()),
]


def themes_for_topics(covenant: Covenant, topics: list[str]) -> list[Theme]:
    wanted = {code: codes for code, _label, codes in TOPICS}
    themes: list[Theme] = []
    for topic in topics:
        for code in wanted.get(topic, ()):
            t = (
                Theme.objects.filter(code=code, covenant=covenant).first()
                or Theme.objects.filter(code=code, covenant=None).first()
            )
            if t:
                if t not in themes:
                    themes.append(t)
                break
    return themes


def open_covenants() -> QuerySet[Covenant]:
    """Covenants that take complaints (all but those that have ended)."""
    return Covenant.objects.exclude(phase="ended").order_by("name_en")


def members_of(covenant: Covenant | None = None) -> QuerySet[Organisation]:
    """Member companies a complaint can be about (of one covenant, or of any)."""
    companies = Organisation.objects.filter(type=Organisation.Type.COMPANY)
    # Status and covenant in one filter(): of the same adherence. Two filter()
    # calls join the adherences twice and let a company that withdrew from this
    # covenant pass on its active adherence to another (docs/security.md, T30).
    qs = (
        companies.in_covenant(covenant, active=True)
        if covenant is not None
        else companies.filter(adherences__status=Adherence.Status.ACTIVE)
    )
    return qs.distinct().order_by("name")


def find_covenant(key: str | int) -> Covenant:
    s = str(key).strip()
    qs = open_covenants()
    # A number in ASCII digits is an id ("²" passes isdigit() and failed int(): a 500).
    pk = whole_number(s)
    c = qs.filter(pk=pk).first() if pk is not None else qs.filter(slug=s).first()
    if c is None:
        raise DomainError(_("Unknown covenant: %(key)s.") % {"key": s[:60]})
    return c


# The complaint form's location_query field takes at most this many characters.
LOCATION_QUERY_MAX = 100


def search_locations(query: str, covenant: Covenant | None = None) -> list[dict[str, Any]]:
    """Production locations from the public list, for the complainant to pick one.

    The query is read as the form's field takes it: at most LOCATION_QUERY_MAX
    characters (the search is called before the form is validated; a 100 KB query
    cost 2.5 s of a worker, its time growing faster than its length), and without
    NUL characters (PostgreSQL refuses them in a text: a server error)."""
    query = (query or "").replace("\x00", "").strip()[:LOCATION_QUERY_MAX].strip()
    if len(query) < 2:
        return []
    try:
        return list(public_facility_search(query, covenant=covenant, limit=10))
    except Exception:  # the search is a convenience; the complaint must still go through
        logger.exception("public facility search failed")
        return []


@dataclass
class Filed:
    complaint: Complaint
    receipt: str
    # Files that got no safe copy, with the reason in the complainant's language.
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class NewComplaint:
    """A complaint as the complainant (or a union or NGO on their behalf) tells it:
    what the public form, the API, a partner gateway and the demo hand to
    `check_file_complaint`."""

    covenant: Covenant
    description: str
    anonymous: bool = True
    complainant_type: str = Complaint.ComplainantType.AFFECTED
    name: str = ""
    contact: str = ""
    share_identity_with_company: bool = False
    respondent: Organisation | None = None
    respondent_text: str = ""
    # A production location from the public list (its id, name and country).
    facility: dict[str, Any] | None = None
    location: str = ""
    when: str = ""
    topics: list[str] = field(default_factory=list)
    remedy_sought: str = ""
    language: str = "en"
    channel: str = Complaint.Channel.WEB
    files: list[tuple[str, bytes]] = field(default_factory=list)


def check_file_complaint(
    new: NewComplaint, *, client: str | None = None, submit_limit: int | None = None
) -> Filed:
    """Check a complaint, its files and the client's filing limit, then take it in.

    Returns it with the receipt code, which is shown once and never stored
    (only its hash).
    """
    description = (new.description or "").strip()
    if len(description) < 10:
        raise DomainError(
            _("Please tell us in a few words what happened (at least 10 characters).")
        )
    if len(description) > 20000:
        raise DomainError(_("The description is too long (at most 20,000 characters)."))
    if new.complainant_type not in Complaint.ComplainantType.values:
        raise DomainError(
            _("Unknown kind of complainant: %(v)s.") % {"v": str(new.complainant_type)[:30]}
        )
    respondent = new.respondent
    if respondent is not None and not members_of(new.covenant).filter(pk=respondent.pk).exists():
        raise DomainError(_("%(org)s is not a member of this covenant.") % {"org": respondent.name})
    files = check_file_count(new.files or [])
    if client:
        limits.check_submit_allowed(client, submit_limit)
    return do_file_complaint(replace(new, description=description, files=files))


def _unused_reference(year: int) -> str:
    """A random reference no case has (30 bits a year: a clash is rare, and tried again)."""
    while True:
        reference = new_reference(year)
        if not Complaint.objects.filter(reference=reference).exists():
            return reference


def do_file_complaint(new: NewComplaint) -> Filed:
    """Store a checked complaint and the first audit entry in one transaction;
    then its evidence, one file at a time: a file that cannot be made safe is
    refused with the reason while the complaint and its receipt stand."""
    # An anonymous complainant's name is never shared, whatever the form said.
    share_identity = new.share_identity_with_company and not new.anonymous
    receipt = new_receipt()
    with transaction.atomic():
        filed_at = to_the_hour()
        c = Complaint(
            covenant=new.covenant,
            filed_at=filed_at,
            state_since=filed_at,
            receipt_hash=hash_receipt(receipt),
            channel=new.channel,
            language=new.language[:10],
            complainant_type=new.complainant_type,
            anonymous=new.anonymous,
            share_identity_with_company=share_identity,
            respondent=new.respondent,
            facility_id=(new.facility or {}).get("id"),
            facility_name=str((new.facility or {}).get("name", ""))[:300],
            facility_country=str((new.facility or {}).get("country", "") or "")[:2],
            # Not about a member: the secretariat looks for the members linked to it.
            routed_to_secretariat=new.respondent is None,
        )
        c.set_confidential(
            {
                "description": new.description,
                "name": new.name.strip()[:200],
                "contact": new.contact.strip()[:300],
                "respondent_text": new.respondent_text.strip()[:300],
                "location": new.location.strip()[:500],
                "when": new.when.strip()[:200],
                "remedy_sought": new.remedy_sought.strip()[:5000],
            }
        )
        c.reference = _unused_reference(filed_at.year)
        c.set_due()
        c.save()
        c.themes.set(themes_for_topics(new.covenant, new.topics or []))
        audit("complainant", "filed", c, channel=new.channel, files=len(new.files))
    refused = []
    for fname, data in new.files:
        refusal = store_evidence(c, fname, data).refusal
        if refusal:
            refused.append(refusal)
    if refused:
        audit("complainant", "evidence-refused", c, files=len(refused))
    return Filed(complaint=c, receipt=receipt, refused=refused)
