"""The covenant's complaints and disputes mechanism (UNGP 29-31).

A rights holder files a *complaint* without an account and follows it with a
receipt code (only its hash is stored). The covenant's independent complaints
committee handles the *case* through fixed states with time limits per
covenant; the secretariat's case officers support it. Everything that could
identify a complainant or tell what happened is encrypted at rest (see
``crypto.py``); every access and transition is written to a hash-chained,
append-only audit trail.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.complaints import crypto
from imvo.core.fields import acting_user, optional_link


def to_the_hour(moment: Any = None) -> Any:
    """What the complainant does is stored to the hour, not the microsecond: a
    filing time that precise would let a server log or a network record point
    at the sender (deadlines count in days; the hour is plenty)."""
    moment = moment or timezone.now()
    return moment.replace(minute=0, second=0, microsecond=0)


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ADMISSIBILITY = "admissibility", _("Admissibility review")
    ADMISSIBLE = "admissible", _("Admissible")
    INADMISSIBLE = "inadmissible", _("Inadmissible")
    MEDIATION = "mediation", _("Dialogue or mediation")
    INVESTIGATION = "investigation", _("Hearing and investigation")
    DECISION = "decision", _("Decision")
    APPEAL = "appeal", _("Appeal")
    REMEDIATION = "remediation", _("Remediation follow-up")
    CLOSED = "closed", _("Closed")


# Which state may follow which. Mediation can settle a case straight into
# remediation follow-up or closure; an appeal against a decision ends in a new
# decision, one against inadmissibility in admission or closure. A case may be
# closed from any open state, but only on a ground that fits it (CLOSURE_FROM)
# and with the record that ground needs (services/workflow.py).
TRANSITIONS: dict[str, list[str]] = {
    State.RECEIVED: [State.ACKNOWLEDGED, State.CLOSED],
    State.ACKNOWLEDGED: [State.ADMISSIBILITY, State.CLOSED],
    State.ADMISSIBILITY: [State.ADMISSIBLE, State.INADMISSIBLE, State.CLOSED],
    State.ADMISSIBLE: [State.MEDIATION, State.INVESTIGATION, State.CLOSED],
    State.INADMISSIBLE: [State.APPEAL, State.CLOSED],
    State.MEDIATION: [State.INVESTIGATION, State.REMEDIATION, State.CLOSED],
    State.INVESTIGATION: [State.MEDIATION, State.DECISION, State.CLOSED],
    State.DECISION: [State.APPEAL, State.REMEDIATION, State.CLOSED],
    State.APPEAL: [State.DECISION, State.ADMISSIBLE, State.CLOSED],
    State.REMEDIATION: [State.CLOSED],
    State.CLOSED: [],
}


class ClosureGround(models.TextChoices):
    """The only grounds on which a case may close (no hollow closure)."""

    DECIDED = "decided", _("Decided, and the follow-up of the remedy is done")
    SETTLED = "settled", _("Settled in dialogue or mediation")
    WITHDRAWN = "withdrawn", _("Withdrawn by the complainant")
    INADMISSIBLE = "inadmissible", _("The committee cannot handle the complaint (inadmissible)")
    NO_CONTACT = "no_contact", _("No contact possible with the complainant")


class InadmissibleGround(models.TextChoices):
    """Why a complaint is ruled inadmissible (the procedure's admissibility criteria)."""

    NOT_MEMBER = "not_member", _("It is not about a covenant member or its supply chain")
    OUT_OF_SCOPE = "out_of_scope", _("It is not about a theme the covenant covers")
    TOO_LITTLE = "too_little", _("There is too little information to assess it, also after asking")
    ELSEWHERE = "elsewhere", _("A court or another mechanism is already handling it")
    TOO_OLD = "too_old", _("It happened too long ago for this procedure")


# From which states each closure ground may close a case.
CLOSURE_FROM: dict[str, set[str]] = {
    ClosureGround.DECIDED: {State.DECISION, State.REMEDIATION},
    ClosureGround.SETTLED: {State.MEDIATION, State.REMEDIATION},
    ClosureGround.WITHDRAWN: {s for s in State.values if s != State.CLOSED},
    ClosureGround.INADMISSIBLE: {State.INADMISSIBLE, State.APPEAL},
    ClosureGround.NO_CONTACT: {
        State.RECEIVED,
        State.ACKNOWLEDGED,
        State.ADMISSIBILITY,
        State.ADMISSIBLE,
        State.MEDIATION,
        State.INVESTIGATION,
    },
}
# Closing for lack of contact needs this many unanswered messages to the
# complainant, the first at least NO_CONTACT_DAYS before closure.
NO_CONTACT_ATTEMPTS = 3
NO_CONTACT_DAYS = 28

# Reasons for a step or a respondent's naming must say something: "ok" is not a
# reason (services/workflow.py, services/respondents.py).
MIN_REASON_CHARS = 10

# Steps only the committee may take (the secretariat supports, it does not decide).
COMMITTEE_ONLY = {
    State.ADMISSIBLE,
    State.INADMISSIBLE,
    State.DECISION,
    State.INVESTIGATION,
}
# Steps that need a case officer on the case (named before admissibility).
NEEDS_OFFICER = {State.ADMISSIBILITY, State.ADMISSIBLE, State.INADMISSIBLE}


class ProcedureSettings(models.Model):
    """Time limits and retention of one covenant's complaints procedure (days)."""

    covenant = models.OneToOneField(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="complaint_procedure"
    )
    acknowledge_days = models.PositiveSmallIntegerField(_("acknowledge within"), default=7)
    admissibility_days = models.PositiveSmallIntegerField(
        _("admissibility within (from filing)"), default=30
    )
    mediation_days = models.PositiveSmallIntegerField(_("dialogue or mediation within"), default=90)
    decision_days = models.PositiveSmallIntegerField(
        _("decision within (from the hearing)"), default=60
    )
    appeal_window_days = models.PositiveSmallIntegerField(_("appeal window"), default=30)
    appeal_decision_days = models.PositiveSmallIntegerField(_("appeal decided within"), default=60)
    remediation_days = models.PositiveSmallIntegerField(
        _("remediation reviewed within"), default=180
    )
    quorum = models.PositiveSmallIntegerField(
        _("committee members needed to decide"),
        default=1,
        help_text=_(
            "A case on which fewer members are free of conflicts is blocked until the"
            " secretariat appoints a substitute."
        ),
    )
    register_names_companies = models.BooleanField(
        _("name the company in the public case register once decided or settled"),
        default=False,
    )
    retention_days = models.PositiveIntegerField(
        _("keep personal data after closure for"), default=730
    )

    def __str__(self) -> str:
        return f"Procedure {self.covenant}"

    def limit_for(self, state: str) -> int | None:
        limits: dict[str, int] = {
            State.RECEIVED: self.acknowledge_days,
            State.ACKNOWLEDGED: self.admissibility_days,
            State.ADMISSIBILITY: self.admissibility_days,
            State.ADMISSIBLE: self.mediation_days,
            State.MEDIATION: self.mediation_days,
            State.INVESTIGATION: self.decision_days,
            State.DECISION: self.appeal_window_days,
            State.INADMISSIBLE: self.appeal_window_days,
            State.APPEAL: self.appeal_decision_days,
            State.REMEDIATION: self.remediation_days,
        }
        return limits.get(state)


# States in which the company complained about sees its case (after admissibility).
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


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def visible_to(self, user: Any) -> ComplaintQuerySet:
        """The one place that decides which cases a user may see at all: the
        covenant's committee and secretariat; the company complained about once
        admissibility is decided; a member a location complaint was forwarded to.
        a substitute or a translator bound to a case sees that case; a union or
        NGO sees the complaints it filed for workers. Platform administrators
        are not case officers and see none."""
        from imvo.accounts import services as roles

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        q = (
            models.Q(covenant_id__in=roles.committee_covenant_ids(user))
            | models.Q(covenant_id__in=roles.managed_covenant_ids(user))
            | models.Q(substitutes__user_id=user.pk)  # a substitute on one case sees that case
            | models.Q(translators__user_id=user.pk)  # so does its translator (services/access)
        )
        org = roles.organisation_id(user)
        if org:
            q |= (
                models.Q(respondent_id=org, state__in=COMPANY_STATES)
                # A member the committee named later is a respondent as the first one is.
                | models.Q(namings__organisation_id=org, state__in=COMPANY_STATES)
                | models.Q(forwardings__organisation_id=org)
                # A union or NGO sees the complaints it filed for workers.
                | models.Q(filed_by_organisation_id=org)
            )
        return self.filter(q).distinct()


class Complaint(models.Model):
    """One complaint and the case the committee makes of it."""

    class ComplainantType(models.TextChoices):
        AFFECTED = "affected", _("I am affected myself")
        REPRESENTATIVE = "representative", _("I speak for someone affected")
        ORGANISATION = "organisation", _("An organisation (union, NGO)")

    class Channel(models.TextChoices):
        WEB = "web", _("Web form")
        API = "api", _("Partner channel (API)")

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.PROTECT, related_name="complaints"
    )
    reference = models.CharField(max_length=30, blank=True, db_index=True)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECEIVED)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    language = models.CharField(max_length=10, default="en")
    complainant_type = models.CharField(
        max_length=20, choices=ComplainantType.choices, default=ComplainantType.AFFECTED
    )
    anonymous = models.BooleanField(default=True)
    share_identity_with_company = models.BooleanField(default=False)
    respondent = optional_link(
        "covenants.Organisation",
        on_delete=models.PROTECT,
        related_name="complaints_against",
        help_text=_("The member complained about, when the complainant knows it."),
    )
    facility_id = models.BigIntegerField(null=True, blank=True)
    facility_name = models.CharField(max_length=300, blank=True)  # public list data
    facility_country = models.CharField(max_length=2, blank=True)
    routed_to_secretariat = models.BooleanField(default=False)
    # A union or NGO that filed the complaint for workers, with their consent
    # (OnBehalfConsent); it follows the case on the platform.
    filed_by_organisation = optional_link(
        "covenants.Organisation", on_delete=models.PROTECT, related_name="complaints_filed"
    )
    themes = models.ManyToManyField("covenants.Theme", blank=True, related_name="complaints")
    # Fernet tokens (see crypto.py). ``secret`` holds the JSON of what the
    # complainant wrote: description, name, contact, where, when, remedy sought.
    secret = models.TextField(blank=True)
    company_summary_enc = models.TextField(blank=True)
    decision_enc = models.TextField(blank=True)
    case_officer = optional_link(settings.AUTH_USER_MODEL, related_name="complaint_cases")
    filed_at = models.DateTimeField(default=timezone.now)
    state_since = models.DateTimeField(default=timezone.now)
    due = models.DateField(null=True, blank=True)
    # The day the daily reminder (due soon / overdue) was last mailed: one a case
    # a day, however often the job runs (`services.deadlines.do_send_reminders`).
    reminded_on = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    admissibility_at = models.DateTimeField(null=True, blank=True)
    admissible = models.BooleanField(null=True)
    hearing_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_ground = models.CharField(max_length=20, choices=ClosureGround.choices, blank=True)
    # The terms agreed in dialogue or mediation (encrypted: they may name people).
    settlement_enc = models.TextField(blank=True)
    remedy_agreed = models.BooleanField(default=False)
    remedy_carried_out = models.BooleanField(null=True)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)
    # When the people of the member the complainant named were e-mailed that the
    # case concerns it: once, when it may first see the case. Members the
    # committee names later carry their own (`RespondentNaming.notified_at`);
    # services/respondents.tell_respondents.
    respondent_told_at = models.DateTimeField(null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_at"]
        indexes = [models.Index(fields=["covenant", "state"])]

    def __str__(self) -> str:
        return self.reference or f"complaint {self.pk}"

    # --- confidential content -------------------------------------------------
    def confidential(self) -> dict[str, Any]:
        if not self.secret:
            return {}
        data: dict[str, Any] = json.loads(crypto.decrypt(self.secret))
        return data

    def set_confidential(self, data: dict[str, Any]) -> None:
        self.secret = crypto.encrypt(json.dumps(data, ensure_ascii=False)) if data else ""

    @property
    def description(self) -> str:
        return str(self.confidential().get("description", ""))

    @property
    def company_summary(self) -> str:
        return crypto.decrypt(self.company_summary_enc)

    @property
    def decision_text(self) -> str:
        return crypto.decrypt(self.decision_enc)

    @property
    def settlement_terms(self) -> str:
        return crypto.decrypt(self.settlement_enc)

    @property
    def next_states(self) -> list[str]:
        return [str(s) for s in TRANSITIONS.get(self.state, [])]

    def is_overdue(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due and self.state != State.CLOSED and self.due < today)

    def procedure(self) -> ProcedureSettings:
        obj, _ = ProcedureSettings.objects.get_or_create(covenant_id=self.covenant_id)
        return obj

    def set_due(self, now: Any = None) -> None:
        """Due date of the step the case now waits for (acknowledgement and
        admissibility count from filing, later steps from entering the state)."""
        now = now or timezone.now()
        days = self.procedure().limit_for(self.state)
        if days is None:
            self.due = None
            return
        start = (
            self.filed_at
            if self.state in (State.RECEIVED, State.ACKNOWLEDGED, State.ADMISSIBILITY)
            else now
        )
        self.due = timezone.localtime(start).date() + timedelta(days=days)


class Transition(models.Model):
    """A state change: who, when, on which ground and why.

    ``reason_enc`` holds the reasons written for the complainant, shown on their
    follow page as written; ``note_enc`` an optional note for the committee
    only. Both are encrypted: they may name people.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    by = acting_user(related_name=None)
    by_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    ground = models.CharField(max_length=20, blank=True)
    reason_enc = models.TextField(blank=True)
    note_enc = models.TextField(blank=True)

    class Meta:
        ordering = ["complaint", "at", "id"]

    @property
    def reason(self) -> str:
        return crypto.decrypt(self.reason_enc)

    @property
    def note(self) -> str:
        return crypto.decrypt(self.note_enc)

    @property
    def ground_label(self) -> str:
        """The ground in the active language (closure or inadmissibility ground)."""
        choices = dict(ClosureGround.choices) | dict(InadmissibleGround.choices)
        return str(choices.get(self.ground, ""))


class Message(models.Model):
    """A message in the case file, with who may read it besides the committee."""

    class Sender(models.TextChoices):
        COMPLAINANT = "complainant", _("Complainant")
        COMMITTEE = "committee", _("Complaints committee")
        SECRETARIAT = "secretariat", _("Secretariat")
        COMPANY = "company", _("Company")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=20, choices=Sender.choices)
    author = acting_user(related_name=None)
    company = optional_link("covenants.Organisation")
    body_enc = models.TextField()
    to_complainant = models.BooleanField(default=False)
    to_company = models.BooleanField(default=False)
    appeal_request = models.BooleanField(default=False)
    withdrawal = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["complaint", "id"]  # as written: complainant times are to the hour

    @property
    def body(self) -> str:
        return crypto.decrypt(self.body_enc)


class Evidence(models.Model):
    """An evidence file, stored encrypted outside the database: the original as
    received (``stored_name``, committee only) and its safe copy (``safe_name``,
    the only form that may leave the committee; see evidence.py). A file of which
    no safe copy could be made has ``refusal`` set and cannot be shared."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=80, unique=True)
    original_type = models.CharField(max_length=50, blank=True)
    original_size = models.PositiveIntegerField(default=0)
    safe_name = models.CharField(max_length=80, blank=True)
    content_type = models.CharField(max_length=50, blank=True)  # of the safe copy
    size = models.PositiveIntegerField(default=0)  # of the safe copy
    refusal = models.CharField(max_length=30, blank=True)
    name_enc = models.TextField(blank=True)
    from_complainant = models.BooleanField(default=True)
    shared_with_company = models.BooleanField(default=False)
    # A file a respondent company attached to its answer (services/answers.py):
    # the company that sent it, and the answer message it came with.
    company = optional_link(
        "covenants.Organisation", on_delete=models.PROTECT, related_name="answer_files"
    )
    message = optional_link(Message, related_name="files")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["complaint", "created", "id"]

    @property
    def original_name(self) -> str:
        return crypto.decrypt(self.name_enc)

    def stored_files(self) -> list[str]:
        """The names of this evidence's files in the evidence folder (once each: an
        answer file is stored once, cleaned, as both original and safe copy)."""
        return list(dict.fromkeys(n for n in (self.stored_name, self.safe_name) if n))


class CommitteeMembership(models.Model):
    """A committee member's declared role in one covenant's complaints committee.

    Who is on the committee is the accounts app's CovenantRole(committee); this
    records the seat the member declared (chair, employers' side, unions'/NGOs'
    side) and the interests declared, which the chair uses to decide recusals.
    """

    class Seat(models.TextChoices):
        CHAIR = "chair", _("Independent chair")
        EMPLOYERS = "employers", _("Member from the employers' side")
        UNIONS_NGOS = "unions_ngos", _("Member from the unions' and NGOs' side")
        ALTERNATE = "alternate", _("Alternate member")

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="committee_memberships"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    seat = models.CharField(max_length=20, choices=Seat.choices)
    declared_interests = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["covenant", "user"], name="unique_committee_seat")
        ]


class Recusal(models.Model):
    """A committee member with a conflict of interest stands aside from one case."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="recusals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    reason = models.TextField(blank=True)
    declared_at = models.DateTimeField(default=timezone.now)
    declared_by = acting_user(blank=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["complaint", "user"], name="unique_recusal")]


class Substitute(models.Model):
    """A member appointed by the secretariat to one case when recusals left fewer
    committee members free of conflicts than the quorum. On that case only, a
    substitute acts as a committee member (and may decide its appeal)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="substitutes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="substitute_cases"
    )
    reason = models.TextField(blank=True)
    appointed_by = acting_user(blank=False)
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user"], name="unique_substitute")
        ]


class CaseTranslator(models.Model):
    """A translator bound to one case by a case officer, to translate the
    complaint and its messages into the committee's language. The translator
    reads what the complainant wrote and the messages, never their name,
    contact, evidence or the case's steps."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="translators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translation_cases"
    )
    language = models.CharField(max_length=10)  # translate into this language
    granted_by = acting_user(blank=False)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user"], name="unique_case_translator")
        ]


class Translation(models.Model):
    """A translation of the complaint (``message`` empty) or of one message,
    stored encrypted beside the original, which stays as written."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="translations")
    message = optional_link("Message", on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10)
    text_enc = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        # One per text and language; kept by the service (update_or_create under
        # the case's row lock), as NULL message ids are not unique in SQL.
        ordering = ["complaint", "message_id", "language"]

    @property
    def text(self) -> str:
        return crypto.decrypt(self.text_enc)


class AfterClosureCheck(models.Model):
    """The question put to the complainant on the follow page at 3 and 6 months
    after closure: did the remedy happen, did they suffer retaliation? The
    answers feed the UNGP 31 figures; an answer that says no (or partly), or
    reports retaliation, opens a follow-up for the committee side."""

    class Remedy(models.TextChoices):
        YES = "yes", _("Yes, the remedy happened")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No, it did not happen")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="after_closure_checks"
    )
    months = models.PositiveSmallIntegerField()  # after closure: 3 or 6
    asked_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)  # the day only (complainant)
    remedy = models.CharField(max_length=10, choices=Remedy.choices, blank=True)
    retaliation = models.BooleanField(null=True)
    comment_enc = models.TextField(blank=True)
    follow_up_needed = models.BooleanField(default=False)
    follow_up_done_on = models.DateField(null=True, blank=True)
    follow_up_note_enc = models.TextField(blank=True)

    class Meta:
        ordering = ["complaint", "months"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "months"], name="unique_after_check")
        ]

    @property
    def comment(self) -> str:
        return crypto.decrypt(self.comment_enc)

    @property
    def follow_up_note(self) -> str:
        return crypto.decrypt(self.follow_up_note_enc)


class OnBehalfConsent(models.Model):
    """The workers' consent to a complaint a union or NGO filed for them: who
    consented, how, when, and to what. Who consented is encrypted (it names
    people); the rest is the record the committee checks."""

    class How(models.TextChoices):
        SIGNED = "signed", _("In writing: a signed consent form")
        MEETING = "meeting", _("Orally, in a meeting; noted by the organisation")
        MESSAGE = "message", _("By message (SMS, chat, e-mail)")
        OTHER = "other", _("Otherwise (described in who consented)")

    class Scope(models.TextChoices):
        FILE = "file", _("File this complaint for them")
        FOLLOW = "follow", _("Follow the case and write to the committee for them")
        MEDIATION = "mediation", _("Represent them in dialogue or mediation")
        SHARE_IDENTITY = "share_identity", _("Share their names with the company")

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="consent")
    organisation = models.ForeignKey("covenants.Organisation", on_delete=models.PROTECT)
    who_enc = models.TextField()
    how = models.CharField(max_length=20, choices=How.choices)
    given_on = models.DateField()
    scope = models.JSONField(default=list)
    recorded_by = acting_user(blank=False)
    recorded_at = models.DateTimeField(default=timezone.now)

    @property
    def who(self) -> str:
        return crypto.decrypt(self.who_enc)

    def scope_labels(self) -> list[str]:
        return [str(self.Scope(s).label) for s in self.scope if s in self.Scope.values]


class Forwarding(models.Model):
    """The secretariat passed a production-location complaint to one linked member.

    Each member sees its own forwarding only, never which other members got it.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="forwardings")
    organisation = models.ForeignKey("covenants.Organisation", on_delete=models.CASCADE)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)
    # When the member's people were e-mailed that a complaint was passed to it:
    # once, set only after the mail went out (services/respondents.tell_forwarded).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["complaint", "organisation"], name="unique_forwarding")
        ]


class RespondentNaming(models.Model):
    """The committee named a member company as respondent to a complaint filed
    without one (the complainant did not know the buyer; services/respondents.py).

    Who named it, when and why (``reason_enc``, for the committee: it names the
    company, which the complainant is not told). The named member sees the case
    as the company complained about does, once admissibility is decided.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="namings")
    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    by = acting_user()
    by_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)
    reason_enc = models.TextField()
    # When the member's people were e-mailed that the case concerns it: once, when
    # it may first see the case (services/respondents.tell_respondents).
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["complaint", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "organisation"], name="unique_respondent_naming"
            )
        ]

    @property
    def reason(self) -> str:
        return crypto.decrypt(self.reason_enc)


class Publication(models.Model):
    """The anonymised outcome of a case, published after a person checked it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, to be checked")
        PUBLISHED = "published", _("Published")

    complaint = models.OneToOneField(
        Complaint, on_delete=models.SET_NULL, null=True, related_name="publication"
    )
    covenant = models.ForeignKey("covenants.Covenant", on_delete=models.CASCADE)
    title = models.CharField(max_length=300)
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    drafted_by = acting_user(blank=False)
    checked_by = acting_user()
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]


class AppendOnlyQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The complaints audit trail is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The complaints audit trail is append-only.")


class AuditEntry(models.Model):
    """One line of the append-only audit trail; ``hash`` chains it to the line before.

    ``hash = sha256(prev_hash + canonical JSON of the entry)``. No personal data
    goes in here (the actor is a platform user name or "complainant").
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=50)
    complaint_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    detail = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The complaints audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The complaints audit trail is append-only.")
