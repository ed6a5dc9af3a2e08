"""Signals: a union or NGO reports a problem at a production location.

The signal reaches the member companies whose supplier lists link to the
location (one `SignalForwarding` each), without the union learning which
members they are, the way a complaint about a location is passed on. It is a
tracked item: its status moves from open to answered (a member responded) to
closed (by the party that raised it, or the secretariat, with a note), and the
union sees how many members it reached and what they answered, never who.
"""

from __future__ import annotations

from typing import Self

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.core.fields import acting_user, optional_link, status_field
from imvo.core.scoping import Actor, ScopedQuerySet, role_facts, scope_q


class SignalQuerySet(ScopedQuerySet["Signal"]):
    """The scoping rule with the raising organisation as the owner, and the members
    the signal reached besides."""

    organisation_field = "raised_by_id"

    def visible_to(self, user: Actor) -> Self:
        """The raising organisation, the members it reached, the covenant's secretariat."""
        facts = role_facts(user)
        if not facts.signed_in:
            return self.none()
        q = scope_q(facts, self.covenant_field, self.organisation_field)
        if q is None:
            return self
        if facts.organisation:
            q |= models.Q(forwardings__organisation_id=facts.organisation)
        return self.filter(q).distinct()


class Signal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered by members")
        CLOSED = "closed", _("Closed")

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="signals"
    )
    raised_by = models.ForeignKey(
        "covenants.Organisation", on_delete=models.PROTECT, related_name="signals_raised"
    )
    raised_by_user = acting_user()
    # A location of the public production-location list (its registry id), if chosen.
    facility_id = models.BigIntegerField(null=True, blank=True)
    location = models.CharField(_("production location"), max_length=300)
    country = models.CharField(_("country"), max_length=2)
    theme = optional_link("covenants.Theme", related_name="+")
    title = models.CharField(_("problem"), max_length=300)
    description = models.TextField(_("what is happening"))
    language = models.CharField(max_length=10, default="nl")
    status = status_field(Status.OPEN)
    created = models.DateTimeField(default=timezone.now)
    closed = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("signal")

    def __str__(self) -> str:
        return self.title


class SignalForwarding(models.Model):
    """The signal passed to one member linked to the location (confidential)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="forwardings")
    organisation = models.ForeignKey(
        "covenants.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["signal", "organisation"], name="unique_signal_forwarding"
            )
        ]


class SignalResponse(models.Model):
    """A member's (or the secretariat's) answer: what it does about the problem.
    The union reads it without the member's name."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="responses")
    organisation = optional_link(
        "covenants.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    by = acting_user()
    text = models.TextField(_("response"))
    language = models.CharField(max_length=10, default="nl")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signal", "created", "id"]


class LocationRelease(models.Model):
    """The production-locations overview as the covenant's unions and NGOs read it,
    frozen (docs/parties.md, "Production locations"; docs/security.md T73).

    Live figures would show each member's change the day it is made. A new release is
    made only when nothing member-specific moved (the covenant's K) or when K members'
    inputs changed since the last one, so two releases never differ by what fewer than
    K members did. `members` holds a fingerprint of what the page reads from each
    member (by organisation id, never shown); `figures` the per-country counts as data,
    country and theme names put in the reader's language on reading.
    """

    covenant = models.ForeignKey(
        "covenants.Covenant", on_delete=models.CASCADE, related_name="location_releases"
    )
    made = models.DateTimeField(_("released"), default=timezone.now)
    minimum = models.PositiveSmallIntegerField(_("minimum members (K)"))
    members = models.JSONField(_("member fingerprints"), default=dict)
    # What the page read from each member (organisation id -> inputs, never shown):
    # whether a member's change since moves a figure is tried against it (T83).
    inputs = models.JSONField(_("member inputs"), default=dict)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        ordering = ["-made", "-pk"]
        get_latest_by = ["made", "pk"]

    def __str__(self) -> str:
        return f"{self.covenant} {self.made:%Y-%m-%d %H:%M}"
