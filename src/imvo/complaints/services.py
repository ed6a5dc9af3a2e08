"""The complaints mechanism as plain functions: filing, following, the case
workflow, access rules, audit trail, retention, publication and the UNGP 31
figures. Views, the API, commands and tasks only call these.

Access in one sentence: the covenant's complaints committee (minus members
recused from a case) and its secretariat, acting as case officers, see a case;
the company complained about sees what the procedure gives it once
admissibility is decided (a summary, messages and evidence the committee
shares, the decision), never an anonymous complainant's identity; a member a
production-location complaint was forwarded to sees that forwarding only.
Platform administrators are not case officers and see no case.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import secrets
import statistics
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imvo.accounts.services import (
    AnyUser,
    committee_covenant_ids,
    managed_covenant_ids,
    organisation_id,
)
from imvo.complaints import crypto
from imvo.complaints.models import (
    COMMITTEE_ONLY,
    TRANSITIONS,
    AuditEntry,
    CommitteeMembership,
    Complaint,
    Evidence,
    Forwarding,
    Message,
    ProcedureSettings,
    Publication,
    Recusal,
    State,
    Transition,
)
from imvo.core.errors import DomainError, PermissionDeniedError
from imvo.covenants.models import Adherence, Covenant, Organisation, Theme

logger = logging.getLogger("imvo.complaints")


class CaseNotFoundError(DomainError):
    """No such case for the person asking (also when it exists but is not theirs)."""


class RateLimitedError(DomainError):
    """Too many attempts from one client; try again later."""


# --- receipt codes -----------------------------------------------------------

# Crockford's base32: no I, L, O, U, so a code read aloud or over the phone
# cannot be mistaken. 20 characters = 100 random bits, in groups of four.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_CHARS = 20


def new_receipt() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(RECEIPT_CHARS))
    return "-".join(raw[i : i + 4] for i in range(0, RECEIPT_CHARS, 4))


def normalise_receipt(code: str) -> str:
    s = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return s.translate(str.maketrans("OIL", "011"))


def hash_receipt(code: str) -> str:
    return hashlib.sha256(("imvo-receipt:" + normalise_receipt(code)).encode()).hexdigest()


# --- abuse limits (no IP address is stored) -----------------------------------

SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_SUBMIT_LIMIT", 10))  # per hour
SUBMIT_WINDOW = 3600
PARTNER_SUBMIT_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_PARTNER_SUBMIT_LIMIT", 500))
RECEIPT_FAILURE_LIMIT = int(getattr(settings, "IMVO_COMPLAINTS_RECEIPT_FAILURES", 10))
RECEIPT_WINDOW = 15 * 60


def client_key(address: str | None) -> str:
    """A keyed hash of the client address: counts attempts without keeping the address.

    It lives only in the cache, for at most the rate-limit window.
    """
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def _hit(kind: str, client: str, limit: int, window: int, count: bool = True) -> None:
    ck = f"imvo-complaints:{kind}:{client}"
    n = cache.get(ck, 0)
    if n >= limit:
        raise RateLimitedError(
            _(
                "Too many attempts from your connection. Please wait %(minutes)d minutes and try again."
            )
            % {"minutes": window // 60}
        )
    if count:
        if n == 0:
            cache.set(ck, 1, window)
        else:
            try:
                cache.incr(ck)
            except ValueError:
                cache.set(ck, 1, window)


def check_receipt_allowed(client: str) -> None:
    _hit("receipt", client, RECEIPT_FAILURE_LIMIT, RECEIPT_WINDOW, count=False)


# --- audit trail ---------------------------------------------------------------


def _entry_hash(
    prev: str, seq: int, at: str, actor: str, action: str, ref: Any, detail: str
) -> str:
    payload = json.dumps([seq, at, actor, action, ref, detail], ensure_ascii=False)
    return hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()


def actor_name(user: AnyUser) -> str:
    if user is None:
        return "system"
    if isinstance(user, str):
        return user
    return user.get_username() if user.is_authenticated else "anonymous"


def audit(
    actor: AnyUser, action: str, complaint: Complaint | None = None, **detail: Any
) -> AuditEntry:
    """Append one entry to the audit trail (retries when another writer won the race)."""
    name = actor_name(actor)
    text = json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str) if detail else ""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                last = AuditEntry.objects.order_by("-seq").first()
                seq = (last.seq + 1) if last else 1
                prev = last.hash if last else "0" * 64
                at = timezone.now()
                ref = complaint.pk if complaint else None
                entry = AuditEntry(
                    seq=seq,
                    at=at,
                    actor=name,
                    action=action,
                    complaint_id_ref=ref,
                    detail=text,
                    prev_hash=prev,
                    hash=_entry_hash(prev, seq, at.isoformat(), name, action, ref, text),
                )
                entry.save()
                return entry
        except IntegrityError:
            continue
    raise DomainError("The audit trail is busy; please try again.")


@dataclass
class AuditReport:
    ok: bool
    entries: int
    head: str
    problems: list[str] = field(default_factory=list)


def verify_audit() -> AuditReport:
    """Recompute the chain. Any edited, removed or inserted line breaks it.

    Record the printed head hash outside the platform now and then: a chain
    that still ends in it has not been rewritten since.
    """
    prev = "0" * 64
    expected_seq = 1
    problems: list[str] = []
    n = 0
    for e in AuditEntry.objects.order_by("seq").iterator():
        n += 1
        if e.seq != expected_seq:
            problems.append(f"entry {e.seq}: expected entry {expected_seq} (lines missing)")
        if e.prev_hash != prev:
            problems.append(f"entry {e.seq}: does not follow the entry before it")
        h = _entry_hash(
            e.prev_hash, e.seq, e.at.isoformat(), e.actor, e.action, e.complaint_id_ref, e.detail
        )
        if h != e.hash:
            problems.append(f"entry {e.seq}: content changed after it was written")
        prev = e.hash
        expected_seq = e.seq + 1
    return AuditReport(ok=not problems, entries=n, head=prev, problems=problems)


# --- evidence files ------------------------------------------------------------

MAX_EVIDENCE_BYTES = int(getattr(settings, "IMVO_COMPLAINTS_MAX_EVIDENCE_BYTES", 5 * 1024 * 1024))
MAX_EVIDENCE_FILES = 5
MAX_IMAGE_PIXELS = 40_000_000


def evidence_dir() -> Path:
    from imvo.core import storage

    d = storage.location("complaint-evidence").root  # registered in apps.py
    d.mkdir(parents=True, exist_ok=True)
    return d


def sniff(data: bytes) -> str | None:
    """The file's real type from its first bytes (the name and the browser's claim are ignored)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def strip_pdf(name: str, data: bytes) -> bytes:
    """The PDF without what could identify its maker: the document information
    (author, creator program, title, dates), every XMP metadata stream (the
    document's and those of pages and images), embedded files, and the file
    identifiers, which a deterministic one replaces. The content is kept.

    Done with pikepdf (qpdf). A PDF that qpdf cannot read, or that is encrypted,
    is refused: it cannot be cleaned, and a photo of it can.
    """
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise ValueError("no pages")
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            names = pdf.Root.get("/Names")
            if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
                del names["/EmbeddedFiles"]
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and "/Metadata" in obj:
                    del obj["/Metadata"]
            if "/PieceInfo" in pdf.Root:
                del pdf.Root["/PieceInfo"]
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True, fix_metadata_version=False)
            return out.getvalue()
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, RecursionError) as e:
        logger.info("evidence PDF refused: %s", type(e).__name__)
        raise DomainError(
            _(
                "%(name)s could not be read as a PDF document, or it is locked with a password. Send a photo of it instead."
            )
            % {"name": name}
        ) from None


def clean_evidence(name: str, data: bytes) -> tuple[bytes, str]:
    """Check one evidence file and strip what could identify the sender.

    Photos are decoded and re-encoded, which drops EXIF/GPS and other
    metadata; PDFs are rewritten without their document information, XMP
    metadata and file identifiers (strip_pdf). Anything else is refused with
    the reason.
    """
    if len(data) == 0:
        raise DomainError(_("%(name)s is empty.") % {"name": name})
    if len(data) > MAX_EVIDENCE_BYTES:
        raise DomainError(
            _("%(name)s is too large (%(size)d MB); the limit is %(limit)d MB per file.")
            % {
                "name": name,
                "size": round(len(data) / 1048576),
                "limit": MAX_EVIDENCE_BYTES // 1048576,
            }
        )
    kind = sniff(data)
    if kind is None:
        raise DomainError(
            _(
                "%(name)s is not a photo (JPEG, PNG, WebP) or a PDF document, whatever its name says."
            )
            % {"name": name}
        )
    if kind == "application/pdf":
        return strip_pdf(name, data), kind
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise DomainError(_("%(name)s has too many pixels.") % {"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img = ImageOps.exif_transpose(img) or img  # type: ignore[assignment]
            out = io.BytesIO()
            if kind == "image/png":
                clean = img.convert("RGBA") if img.mode not in ("RGB", "RGBA", "L") else img
                clean.save(out, format="PNG")
                return out.getvalue(), "image/png"
            img.convert("RGB").save(out, format="JPEG", quality=85)
            return out.getvalue(), "image/jpeg"
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise DomainError(_("%(name)s is a damaged image file.") % {"name": name}) from e


def store_evidence(
    complaint: Complaint, name: str, data: bytes, from_complainant: bool = True
) -> Evidence:
    clean, kind = clean_evidence(name, data)
    stored = uuid.uuid4().hex + ".bin"
    (evidence_dir() / stored).write_bytes(crypto.encrypt_bytes(clean))
    return Evidence.objects.create(
        complaint=complaint,
        stored_name=stored,
        content_type=kind,
        size=len(clean),
        name_enc=crypto.encrypt(Path(name).name[:200]),
        from_complainant=from_complainant,
    )


def validate_files(files: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    if len(files) > MAX_EVIDENCE_FILES:
        raise DomainError(
            _("You can add at most %(n)d files at a time.") % {"n": MAX_EVIDENCE_FILES}
        )
    for name, data in files:
        clean_evidence(name, data)  # fail before anything is saved
    return files


# --- filing --------------------------------------------------------------------

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
    qs = Organisation.objects.filter(
        type=Organisation.Type.COMPANY, adherences__status=Adherence.Status.ACTIVE
    )
    if covenant is not None:
        qs = qs.filter(adherences__covenant=covenant)
    return qs.distinct().order_by("name")


def find_covenant(key: str | int) -> Covenant:
    s = str(key).strip()
    qs = open_covenants()
    c = qs.filter(pk=int(s)).first() if s.isdigit() else qs.filter(slug=s).first()
    if c is None:
        raise DomainError(_("Unknown covenant: %(key)s.") % {"key": s[:60]})
    return c


def search_locations(query: str, covenant: Covenant | None = None) -> list[dict[str, Any]]:
    """Production locations from the public list (empty until the supply-chain app is there)."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    try:
        from imvo.supplychain.services import public_facility_search  # type: ignore[attr-defined]
    except ImportError:
        return []
    try:
        return list(public_facility_search(query, covenant=covenant, limit=10))
    except Exception:  # the search is a convenience; the complaint must still go through
        logger.exception("public facility search failed")
        return []


def linked_organisations(facility_id: int) -> list[Organisation]:
    try:
        from imvo.supplychain.services import (  # type: ignore[attr-defined]
            organisations_linked_to_facility,
        )
    except ImportError:
        return []
    return list(organisations_linked_to_facility(facility_id))


@dataclass
class Filed:
    complaint: Complaint
    receipt: str


def file_complaint(
    *,
    covenant: Covenant,
    description: str,
    anonymous: bool = True,
    complainant_type: str = Complaint.ComplainantType.AFFECTED,
    name: str = "",
    contact: str = "",
    share_identity_with_company: bool = False,
    respondent: Organisation | None = None,
    respondent_text: str = "",
    facility: dict[str, Any] | None = None,
    location: str = "",
    when: str = "",
    topics: list[str] | None = None,
    remedy_sought: str = "",
    language: str = "en",
    channel: str = Complaint.Channel.WEB,
    files: list[tuple[str, bytes]] | None = None,
    client: str | None = None,
    submit_limit: int | None = None,
) -> Filed:
    """Take in a complaint. Returns it with the receipt code, which is shown once
    and never stored (only its hash)."""
    description = (description or "").strip()
    if len(description) < 10:
        raise DomainError(
            _("Please tell us in a few words what happened (at least 10 characters).")
        )
    if len(description) > 20000:
        raise DomainError(_("The description is too long (at most 20,000 characters)."))
    if complainant_type not in Complaint.ComplainantType.values:
        raise DomainError(
            _("Unknown kind of complainant: %(v)s.") % {"v": str(complainant_type)[:30]}
        )
    if respondent is not None and not members_of(covenant).filter(pk=respondent.pk).exists():
        raise DomainError(_("%(org)s is not a member of this covenant.") % {"org": respondent.name})
    files = validate_files(files or [])
    if client:
        _hit("submit", client, submit_limit or SUBMIT_LIMIT, SUBMIT_WINDOW)
    if anonymous:
        share_identity_with_company = False
    receipt = new_receipt()
    with transaction.atomic():
        c = Complaint(
            covenant=covenant,
            receipt_hash=hash_receipt(receipt),
            channel=channel,
            language=language[:10],
            complainant_type=complainant_type,
            anonymous=anonymous,
            share_identity_with_company=share_identity_with_company,
            respondent=respondent,
            facility_id=(facility or {}).get("id"),
            facility_name=str((facility or {}).get("name", ""))[:300],
            facility_country=str((facility or {}).get("country", "") or "")[:2],
            # Not about a member: the secretariat looks for the members linked to it.
            routed_to_secretariat=respondent is None,
        )
        c.set_confidential(
            {
                "description": description,
                "name": name.strip()[:200],
                "contact": contact.strip()[:300],
                "respondent_text": respondent_text.strip()[:300],
                "location": location.strip()[:500],
                "when": when.strip()[:200],
                "remedy_sought": remedy_sought.strip()[:5000],
            }
        )
        c.set_due()
        c.save()
        c.reference = f"{c.filed_at:%Y}-{c.pk:05d}"
        c.save(update_fields=["reference"])
        c.themes.set(themes_for_topics(covenant, topics or []))
        for fname, data in files:
            store_evidence(c, fname, data)
        audit("complainant", "filed", c, channel=channel, files=len(files))
    return Filed(complaint=c, receipt=receipt)


# --- the complainant's side ----------------------------------------------------


def complaint_by_receipt(code: str, client: str | None = None) -> Complaint:
    """The complaint a receipt code belongs to. Failed attempts are counted per
    client, so codes cannot be guessed in bulk."""
    if client:
        check_receipt_allowed(client)
    c = Complaint.objects.filter(receipt_hash=hash_receipt(code)).first() if code else None
    if c is None:
        if client:
            _hit("receipt", client, RECEIPT_FAILURE_LIMIT + 1, RECEIPT_WINDOW)
        raise CaseNotFoundError(
            _("No complaint has this receipt code. Check the code and try again.")
        )
    audit("complainant", "followed", c)
    return c


NEXT_STEP: dict[str, Any] = {
    State.RECEIVED: gettext_lazy("The secretariat confirms that your complaint was received."),
    State.ACKNOWLEDGED: gettext_lazy("The committee checks whether it can handle your complaint."),
    State.ADMISSIBILITY: gettext_lazy("The committee checks whether it can handle your complaint."),
    State.ADMISSIBLE: gettext_lazy("The committee will start a dialogue or a hearing."),
    State.INADMISSIBLE: gettext_lazy(
        "The committee cannot handle your complaint; the message below says why. You may appeal."
    ),
    State.MEDIATION: gettext_lazy("The parties talk, with help from a mediator."),
    State.INVESTIGATION: gettext_lazy("The committee hears the parties and looks into the facts."),
    State.DECISION: gettext_lazy("The committee has decided. The parties may appeal."),
    State.APPEAL: gettext_lazy("The appeal is being handled."),
    State.REMEDIATION: gettext_lazy("The committee follows whether the remedy is carried out."),
    State.CLOSED: gettext_lazy("The case is closed."),
}


def complainant_view(c: Complaint) -> dict[str, Any]:
    """What the complainant sees: status, due date, the messages meant for them."""
    data = c.confidential()
    return {
        "reference": c.reference,
        "covenant": c.covenant.name,
        "state": c.state,
        "state_label": str(c.get_state_display()),
        "next_step": str(NEXT_STEP.get(c.state, "")),
        "filed": timezone.localtime(c.filed_at).date(),
        "due": c.due,
        "description": data.get("description", ""),
        "decision": c.decision_text
        if c.state in (State.DECISION, State.APPEAL, State.REMEDIATION, State.CLOSED)
        else "",
        "messages": [
            {
                "from": m.sender,
                "from_label": str(m.get_sender_display()),
                "at": m.created,
                "body": m.body,
            }
            for m in c.messages.filter(
                Q(to_complainant=True) | Q(sender=Message.Sender.COMPLAINANT)
            )
        ],
        "evidence": c.evidence.filter(from_complainant=True).count(),
        "appealable": c.state in APPEALABLE,
        "personal_data_removed": c.personal_data_removed_at is not None,
    }


APPEALABLE = (State.DECISION, State.INADMISSIBLE)


def complainant_reply(
    c: Complaint,
    body: str,
    files: list[tuple[str, bytes]] | None = None,
    appeal: bool = False,
) -> None:
    """The complainant writes to the committee, adds evidence, or asks for an appeal
    (only against a decision or an inadmissibility ruling; the committee then opens it)."""
    body = (body or "").strip()
    if appeal and c.state not in APPEALABLE:
        raise DomainError(_("An appeal can be asked only against a decision."))
    if appeal and not body:
        raise DomainError(_("Say why you appeal."))
    files = validate_files(files or [])
    if not body and not files:
        raise DomainError(_("Write a message or add a file."))
    if len(body) > 10000:
        raise DomainError(_("The message is too long (at most 10,000 characters)."))
    if c.personal_data_removed_at:
        raise DomainError(_("This case is closed and its file removed."))
    with transaction.atomic():
        if body:
            Message.objects.create(
                complaint=c,
                sender=Message.Sender.COMPLAINANT,
                body_enc=crypto.encrypt(body),
                appeal_request=appeal,
            )
        for fname, data in files:
            store_evidence(c, fname, data)
        audit("complainant", "appeal-requested" if appeal else "replied", c, files=len(files))


# --- who sees what ---------------------------------------------------------------

COMPANY_STATES = [
    State.ADMISSIBLE,
    State.INADMISSIBLE,
    State.MEDIATION,
    State.INVESTIGATION,
    State.DECISION,
    State.APPEAL,
    State.REMEDIATION,
    State.CLOSED,
]


def complaints_visible_to(user: AnyUser) -> QuerySet[Complaint]:
    """The one place that decides which cases a user may see at all."""
    if not (user and user.is_authenticated and user.is_active):
        return Complaint.objects.none()
    q = Q(covenant_id__in=committee_covenant_ids(user)) | Q(
        covenant_id__in=managed_covenant_ids(user)
    )
    org = organisation_id(user)
    if org:
        q |= Q(respondent_id=org, state__in=COMPANY_STATES) | Q(forwardings__organisation_id=org)
    return Complaint.objects.filter(q).distinct().select_related("covenant", "respondent")


def role_in_case(user: AnyUser, c: Complaint) -> str | None:
    """'committee', 'secretariat', 'company' or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    if c.covenant_id in committee_covenant_ids(user):
        return "committee"
    if c.covenant_id in managed_covenant_ids(user):
        return "secretariat"
    org = organisation_id(user)
    if org and (
        (c.respondent_id == org and c.state in COMPANY_STATES)
        or c.forwardings.filter(organisation_id=org).exists()
    ):
        return "company"
    return None


def case_rows(
    user: AnyUser, qs: QuerySet[Complaint], today: date | None = None
) -> list[dict[str, Any]]:
    """The case list with the user's role per case, in a fixed number of queries."""
    today = today or timezone.localdate()
    committee, managed = committee_covenant_ids(user), managed_covenant_ids(user)
    org = organisation_id(user)
    recused = set(Recusal.objects.filter(user=user).values_list("complaint_id", flat=True))
    forwarded = (
        set(Forwarding.objects.filter(organisation_id=org).values_list("complaint_id", flat=True))
        if org
        else set()
    )
    rows = []
    for c in qs:
        if c.covenant_id in committee:
            role = "committee"
        elif c.covenant_id in managed:
            role = "secretariat"
        elif org and (c.pk in forwarded or (c.respondent_id == org and c.state in COMPANY_STATES)):
            role = "company"
        else:
            continue
        rows.append(
            {
                "c": c,
                "role": role,
                "overdue": c.is_overdue(today),
                "recused": role == "committee" and c.pk in recused,
            }
        )
    return rows


def is_recused(user: AnyUser, c: Complaint) -> bool:
    return bool(
        user and user.is_authenticated and Recusal.objects.filter(complaint=c, user=user).exists()
    )


def get_case(user: AnyUser, pk: int, log: bool = True) -> tuple[Complaint, str]:
    """Open a case: scoped, refused to recused members, written to the audit trail."""
    c = complaints_visible_to(user).filter(pk=pk).first()
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


def _require_handler(user: AnyUser, c: Complaint, committee_only: bool = False) -> str:
    role = role_in_case(user, c)
    if role not in ("committee", "secretariat"):
        raise CaseNotFoundError(_("No such case."))
    if role == "committee" and is_recused(user, c):
        raise PermissionDeniedError(_("You are recused from this case."))
    if committee_only and role != "committee":
        raise PermissionDeniedError(_("Only the complaints committee may take this step."))
    return role


# --- the case workflow ----------------------------------------------------------


def move(
    user: AnyUser,
    c: Complaint,
    to_state: str,
    reason: str = "",
    *,
    decision_text: str = "",
    remedy_agreed: bool | None = None,
    remedy_carried_out: bool | None = None,
    now: datetime | None = None,
) -> Complaint:
    """Move a case to its next state, recording who, when and why."""
    _require_handler(user, c, committee_only=to_state in COMMITTEE_ONLY)
    reason = (reason or "").strip()
    if (
        to_state in (State.ADMISSIBLE, State.INADMISSIBLE, State.DECISION, State.CLOSED)
        and not reason
    ):
        raise DomainError(_("Give the reasons for this step."))
    if to_state == State.DECISION and not (decision_text or "").strip():
        raise DomainError(_("Write the decision: what the committee decided and which remedy."))
    now = now or timezone.now()
    with transaction.atomic():
        # The stored state decides, not the caller's copy (two members may act at once).
        c = Complaint.objects.select_for_update().get(pk=c.pk)
        if to_state not in TRANSITIONS.get(c.state, []):
            label = State(to_state).label if to_state in State.values else to_state
            raise DomainError(
                _("A case in state “%(from)s” cannot move to “%(to)s”.")
                % {"from": c.get_state_display(), "to": label}
            )
        from_state = c.state
        c.state = to_state
        c.state_since = now
        if to_state == State.ACKNOWLEDGED and not c.acknowledged_at:
            c.acknowledged_at = now
        if to_state in (State.ADMISSIBLE, State.INADMISSIBLE) and not c.admissibility_at:
            c.admissibility_at = now
            c.admissible = to_state == State.ADMISSIBLE
        if to_state == State.INVESTIGATION and not c.hearing_at:
            c.hearing_at = now
        if to_state == State.DECISION:
            c.decided_at = c.decided_at or now
            c.decision_enc = crypto.encrypt(decision_text.strip())
        if to_state == State.CLOSED:
            c.closed_at = now
        if remedy_agreed is not None:
            c.remedy_agreed = remedy_agreed
        if remedy_carried_out is not None:
            c.remedy_carried_out = remedy_carried_out
        c.set_due(now)
        c.save()
        Transition.objects.create(
            complaint=c,
            from_state=from_state,
            to_state=to_state,
            by=user,
            by_name=actor_name(user),
            at=now,
            reason_enc=crypto.encrypt(reason),
        )
        audit(user, "moved", c, from_state=from_state, to_state=to_state)
    return c


def assign_officer(user: AnyUser, c: Complaint, officer: AnyUser) -> None:
    _require_handler(user, c)
    if officer is not None and c.covenant_id not in managed_covenant_ids(officer):
        raise DomainError(_("A case officer must belong to this covenant's secretariat."))
    c.case_officer = officer
    c.save(update_fields=["case_officer"])
    audit(user, "assigned", c, officer=actor_name(officer))


def post_message(
    user: AnyUser, c: Complaint, body: str, to_complainant: bool = False, to_company: bool = False
) -> Message:
    """A message in the case file; the committee side chooses who else reads it.
    The company's messages go to the committee only."""
    body = (body or "").strip()
    if not body:
        raise DomainError(_("The message is empty."))
    role = role_in_case(user, c)
    if role == "company":
        m = Message.objects.create(
            complaint=c,
            sender=Message.Sender.COMPANY,
            author=user,
            company_id=organisation_id(user),
            body_enc=crypto.encrypt(body),
        )
    else:
        role = _require_handler(user, c)
        m = Message.objects.create(
            complaint=c,
            sender=Message.Sender.COMMITTEE if role == "committee" else Message.Sender.SECRETARIAT,
            author=user,
            body_enc=crypto.encrypt(body),
            to_complainant=to_complainant,
            to_company=to_company,
        )
    audit(user, "message", c, to_complainant=m.to_complainant, to_company=m.to_company)
    return m


def share_with_company(
    user: AnyUser, c: Complaint, summary: str, evidence_ids: list[int] | None = None
) -> None:
    """What the procedure gives the company: a summary written by the committee
    (without the complainant's identity unless they agreed) and chosen evidence."""
    _require_handler(user, c)
    with transaction.atomic():
        c.company_summary_enc = crypto.encrypt((summary or "").strip())
        c.save(update_fields=["company_summary_enc"])
        if evidence_ids is not None:
            c.evidence.update(shared_with_company=False)
            c.evidence.filter(pk__in=evidence_ids).update(shared_with_company=True)
        audit(user, "shared-with-company", c, evidence=len(evidence_ids or []))


def evidence_for(
    user: AnyUser, c: Complaint, role: str, evidence_id: int
) -> tuple[Evidence, bytes]:
    qs = c.evidence.all()
    if role == "company":
        qs = qs.filter(shared_with_company=True)
    ev = qs.filter(pk=evidence_id).first()
    if ev is None:
        raise CaseNotFoundError(_("No such file."))
    data = crypto.decrypt_bytes((evidence_dir() / ev.stored_name).read_bytes())
    audit(user, "evidence-read", c, evidence=ev.pk)
    return ev, data


def case_view(user: AnyUser, c: Complaint, role: str) -> dict[str, Any]:
    """The case as one role may see it."""
    data = c.confidential()
    messages = c.messages.select_related("author")
    if role == "company":
        org = organisation_id(user)
        messages = messages.filter(
            Q(to_company=True) | Q(sender=Message.Sender.COMPANY, company_id=org)
        )
        identity = ""
        if not c.anonymous and c.share_identity_with_company:
            identity = str(data.get("name", ""))
        return {
            "role": role,
            "c": c,
            "summary": c.company_summary,
            "identity": identity,
            "decision": c.decision_text if c.decided_at else "",
            "case_messages": [{"m": m, "body": m.body} for m in messages],
            "evidence": list(c.evidence.filter(shared_with_company=True)),
        }
    return {
        "role": role,
        "c": c,
        "data": data,
        "summary": c.company_summary,
        "decision": c.decision_text,
        "case_messages": [{"m": m, "body": m.body} for m in messages],
        "evidence": [{"e": e, "name": e.original_name} for e in c.evidence.all()],
        "transitions": [{"t": t, "reason": t.reason} for t in c.transitions.select_related("by")],
        "recusals": list(c.recusals.select_related("user")),
        "forwardings": list(c.forwardings.select_related("organisation")),
    }


# --- committee and recusal -------------------------------------------------------


def declare_seat(
    by: AnyUser, covenant: Covenant, member: Any, seat: str, interests: str = ""
) -> CommitteeMembership:
    """Record a committee member's declared seat (the secretariat or the member)."""
    if covenant.pk not in committee_covenant_ids(member):
        raise DomainError(
            _("%(u)s is not on this covenant's complaints committee.") % {"u": member}
        )
    if not (by == member or covenant.pk in managed_covenant_ids(by)):
        raise PermissionDeniedError(_("Only the member or the secretariat may declare a seat."))
    obj, _created = CommitteeMembership.objects.update_or_create(
        covenant=covenant, user=member, defaults={"seat": seat, "declared_interests": interests}
    )
    audit(by, "seat-declared", None, covenant=covenant.slug, member=actor_name(member), seat=seat)
    return obj


def recuse(by: AnyUser, c: Complaint, member: Any, reason: str) -> Recusal:
    """A member stands aside (declared by themself, the secretariat or another member)."""
    role = role_in_case(by, c)
    if role not in ("committee", "secretariat"):
        raise CaseNotFoundError(_("No such case."))
    if c.covenant_id not in committee_covenant_ids(member):
        raise DomainError(
            _("%(u)s is not on this covenant's complaints committee.") % {"u": member}
        )
    r, _created = Recusal.objects.get_or_create(
        complaint=c, user=member, defaults={"reason": reason.strip(), "declared_by": by}
    )
    audit(by, "recused", c, member=actor_name(member))
    return r


def committee_of(covenant: Covenant) -> list[dict[str, Any]]:
    from imvo.accounts.models import CovenantRole

    seats = {m.user_id: m for m in CommitteeMembership.objects.filter(covenant=covenant)}
    out = []
    for r in CovenantRole.objects.filter(covenant=covenant, role="committee").select_related(
        "user"
    ):
        out.append({"user": r.user, "seat": seats.get(r.user_id)})
    return out


# --- production locations -------------------------------------------------------


def forward_to_linked_members(user: AnyUser, c: Complaint) -> int:
    """Pass a location complaint to every member linked to the location.

    Each member gets its own forwarding and never sees the others'; the
    complainant never learns who buys from the location.
    """
    role = _require_handler(user, c)
    if role != "secretariat" and c.covenant_id not in managed_covenant_ids(user):
        raise PermissionDeniedError(_("Only the secretariat forwards location complaints."))
    if not c.facility_id:
        raise DomainError(_("This complaint is not about a listed production location."))
    orgs = [
        o
        for o in linked_organisations(c.facility_id)
        if members_of(c.covenant).filter(pk=o.pk).exists()
    ]
    n = 0
    with transaction.atomic():
        for o in orgs:
            _obj, created = Forwarding.objects.get_or_create(
                complaint=c, organisation=o, defaults={"by": user}
            )
            n += int(created)
        audit(user, "forwarded", c, members=len(orgs))
    return n


# --- time limits, reminders, overdue report ------------------------------------------


def procedure_for(covenant: Covenant) -> ProcedureSettings:
    obj, _created = ProcedureSettings.objects.get_or_create(covenant=covenant)
    return obj


LIMIT_FIELDS = [
    "acknowledge_days",
    "admissibility_days",
    "mediation_days",
    "decision_days",
    "appeal_window_days",
    "appeal_decision_days",
    "remediation_days",
    "retention_days",
]


def limit_label(name: str) -> str:
    return str(getattr(ProcedureSettings._meta.get_field(name), "verbose_name", name))


def set_time_limits(user: AnyUser, covenant: Covenant, values: dict[str, Any]) -> ProcedureSettings:
    """The covenant's secretariat sets the procedure's time limits (in days).

    New limits apply to due dates set from now on; running cases keep theirs.
    """
    if covenant.pk not in managed_covenant_ids(user):
        raise PermissionDeniedError(_("Only the covenant's secretariat sets the time limits."))
    p = procedure_for(covenant)
    changed = {}
    for name in LIMIT_FIELDS:
        if name not in values:
            continue
        raw = str(values[name]).strip()
        label = limit_label(name)
        if not raw.isdigit() or not 1 <= int(raw) <= 3650:
            raise DomainError(
                _("%(field)s: give a number of days from 1 to 3650, not “%(value)s”.")
                % {"field": label, "value": raw[:20]}
            )
        setattr(p, name, int(raw))
        changed[name] = int(raw)
    p.save()
    audit(user, "time-limits-set", None, covenant=covenant.slug, **changed)
    return p


def overdue_cases(user: AnyUser = None, today: date | None = None) -> QuerySet[Complaint]:
    """Open cases past their due date (all of them for the system, else those the user handles)."""
    today = today or timezone.localdate()
    qs = Complaint.objects.exclude(state=State.CLOSED).filter(due__lt=today)
    if user is not None:
        ids = committee_covenant_ids(user) | managed_covenant_ids(user)
        qs = qs.filter(covenant_id__in=ids)
    return qs.select_related("covenant").order_by("due")


def send_reminders(today: date | None = None, soon_days: int = 3) -> tuple[int, int]:
    """E-mail the committee and case officer of every case due within a few days or overdue.

    The mail names the case and the due date only, never its content.
    Returns (sent, failed); a mail server that is down fails every mail, not the run.
    """
    from imvo.accounts.models import CovenantRole

    today = today or timezone.localdate()
    due = Complaint.objects.exclude(state=State.CLOSED).filter(
        due__lte=today + timedelta(days=soon_days)
    )
    sent = failed = 0
    for c in due.select_related("covenant", "case_officer"):
        recused = set(c.recusals.values_list("user_id", flat=True))
        people = [
            r.user
            for r in CovenantRole.objects.filter(
                covenant=c.covenant, role="committee"
            ).select_related("user")
            if r.user_id not in recused
        ]
        if c.case_officer:
            people.append(c.case_officer)
        emails = sorted({p.email for p in people if p.email})
        if not emails:
            continue
        late = c.due is not None and c.due < today
        subject = f"[{c.covenant.slug}] complaint {c.reference}: {'OVERDUE since' if late else 'due'} {c.due}"
        body = (
            f"Complaint {c.reference} ({c.get_state_display()}) in {c.covenant.name_en} "
            f"{'was due' if late else 'is due'} on {c.due}.\n"
            "Open the case on the platform; this mail holds no case content."
        )
        try:
            send_mail(subject, body, None, emails)
            sent += 1
            audit("system", "reminder", c, recipients=len(emails))
        except OSError as e:
            failed += 1
            logger.warning("reminder for %s could not be sent: %s", c.reference, e)
    return sent, failed


# --- retention --------------------------------------------------------------------


def purge_personal_data(now: datetime | None = None) -> int:
    """Remove the personal data of cases closed longer ago than the covenant keeps it.

    What stays: the state history (without reasons), dates, themes, the
    anonymised publication and the figures. Evidence files are deleted.
    """
    now = now or timezone.now()
    n = 0
    for c in Complaint.objects.filter(
        state=State.CLOSED, personal_data_removed_at=None, closed_at__isnull=False
    ):
        days = procedure_for(c.covenant).retention_days
        if c.closed_at and c.closed_at + timedelta(days=days) > now:
            continue
        with transaction.atomic():
            for ev in c.evidence.all():
                (evidence_dir() / ev.stored_name).unlink(missing_ok=True)
            c.evidence.all().delete()
            c.messages.all().delete()
            c.transitions.update(reason_enc="")
            c.secret = ""
            c.company_summary_enc = ""
            c.decision_enc = ""
            c.anonymous = True
            c.share_identity_with_company = False
            c.personal_data_removed_at = now
            c.save()
            audit("system", "personal-data-removed", c)
        n += 1
    return n


# --- publication -------------------------------------------------------------------


def draft_publication(user: AnyUser, c: Complaint, title: str, text: str) -> Publication:
    """Draft the anonymised outcome. The complainant's name and contact must not appear."""
    _require_handler(user, c)
    if c.state not in (State.DECISION, State.REMEDIATION, State.CLOSED, State.INADMISSIBLE):
        raise DomainError(_("Only a decided case can be published."))
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise DomainError(_("Give the publication a title and a text."))
    data = c.confidential()
    for key in ("name", "contact"):
        value = str(data.get(key, "")).strip()
        if len(value) >= 3 and (value.lower() in text.lower() or value.lower() in title.lower()):
            raise DomainError(
                _(
                    "The text still contains the complainant's %(what)s; remove it before publishing."
                )
                % {"what": _("name") if key == "name" else _("contact details")}
            )
    pub, _created = Publication.objects.update_or_create(
        complaint=c,
        defaults={
            "covenant": c.covenant,
            "title": title,
            "text": text,
            "status": Publication.Status.DRAFT,
            "drafted_by": user,
            "checked_by": None,
            "published_at": None,
        },
    )
    audit(user, "publication-drafted", c)
    return pub


def publish(user: AnyUser, pub: Publication) -> Publication:
    """A second person checks the anonymised text and publishes it."""
    if pub.complaint is None:
        raise DomainError(_("This publication is no longer linked to a case."))
    _require_handler(user, pub.complaint)
    if pub.drafted_by_id == getattr(user, "pk", None):
        raise PermissionDeniedError(
            _("Someone other than the drafter must check and publish the text.")
        )
    pub.status = Publication.Status.PUBLISHED
    pub.checked_by = user
    pub.published_at = timezone.now()
    pub.save()
    audit(user, "published", pub.complaint)
    return pub


def published_outcomes(covenant: Covenant | None = None) -> QuerySet[Publication]:
    qs = Publication.objects.filter(status=Publication.Status.PUBLISHED).select_related("covenant")
    if covenant is not None:
        qs = qs.filter(covenant=covenant)
    return qs


# --- UNGP 31 figures -------------------------------------------------------------------


def _days(a: datetime | None, b: datetime | None) -> float | None:
    if a is None or b is None:
        return None
    return (b - a).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def ungp31_figures(covenant: Covenant, year: int) -> dict[str, Any]:
    """Aggregates over the complaints filed in one year (no case can be singled out).

    resolved = a decision was taken or the dialogue ended in a settlement
    (remediation follow-up or closure after admissibility). Within the time
    limits = share of the steps taken (acknowledgement, admissibility,
    decision) that were taken on or before their due day.
    """
    p = procedure_for(covenant)
    cs = list(Complaint.objects.filter(covenant=covenant, filed_at__year=year))
    ack = [d for c in cs if (d := _days(c.filed_at, c.acknowledged_at)) is not None]
    adm = [d for c in cs if (d := _days(c.filed_at, c.admissibility_at)) is not None]
    dec = [d for c in cs if (d := _days(c.filed_at, c.decided_at)) is not None]
    steps = on_time = 0
    for c in cs:
        for start, end, limit in (
            (c.filed_at, c.acknowledged_at, p.acknowledge_days),
            (c.filed_at, c.admissibility_at, p.admissibility_days),
            (c.hearing_at, c.decided_at, p.decision_days),
        ):
            d = _days(start, end)
            if d is not None:
                steps += 1
                on_time += int(d <= limit)
    resolved = sum(
        1
        for c in cs
        if c.decided_at or (c.admissible and c.state in (State.REMEDIATION, State.CLOSED))
    )
    return {
        "covenant": covenant.slug,
        "year": year,
        "received": len(cs),
        "admissible": sum(1 for c in cs if c.admissible is True),
        "inadmissible": sum(1 for c in cs if c.admissible is False),
        "resolved": resolved,
        "open": sum(1 for c in cs if c.state != State.CLOSED),
        "median_days_to_acknowledge": _median(ack),
        "median_days_to_admissibility": _median(adm),
        "median_days_to_decision": _median(dec),
        "within_time_limits_percent": round(100 * on_time / steps) if steps else None,
        "remedies_agreed": sum(1 for c in cs if c.remedy_agreed),
        "remedies_carried_out": sum(1 for c in cs if c.remedy_carried_out),
        "limits": {
            "acknowledge_days": p.acknowledge_days,
            "admissibility_days": p.admissibility_days,
            "decision_days": p.decision_days,
        },
    }


def figure_years(covenant: Covenant) -> list[int]:
    years = {d.year for d in Complaint.objects.filter(covenant=covenant).dates("filed_at", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- key rotation ----------------------------------------------------------------------


def rotate_keys() -> int:
    """Re-encrypt every stored value and evidence file with a fresh key."""
    crypto.add_new_key()
    n = 0
    with transaction.atomic():
        for c in Complaint.objects.all():
            c.secret = crypto.rotate_token(c.secret)
            c.company_summary_enc = crypto.rotate_token(c.company_summary_enc)
            c.decision_enc = crypto.rotate_token(c.decision_enc)
            c.save(update_fields=["secret", "company_summary_enc", "decision_enc"])
            n += 1
        for t in Transition.objects.exclude(reason_enc=""):
            t.reason_enc = crypto.rotate_token(t.reason_enc)
            t.save(update_fields=["reason_enc"])
        for m in Message.objects.all():
            m.body_enc = crypto.rotate_token(m.body_enc)
            m.save(update_fields=["body_enc"])
        for ev in Evidence.objects.all():
            ev.name_enc = crypto.rotate_token(ev.name_enc)
            ev.save(update_fields=["name_enc"])
            path = evidence_dir() / ev.stored_name
            if path.exists():
                path.write_bytes(crypto.fernet().rotate(path.read_bytes()))
    crypto.drop_old_keys()
    audit("system", "keys-rotated", None, complaints=n)
    return n
