"""Signals: a union or NGO reports a problem at a production location.

The signal reaches the member companies whose supplier lists link to the
location (one `SignalForwarding` each), without the union learning which
members they are, the way a complaint about a location is passed on. It is a
tracked item: its status moves from open to answered (a member responded) to
closed (by the party that raised it, or the secretariat, with a note), and the
union sees how many members it reached and what they answered, never who.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imvo.accounts import seams as roles
from imvo.accounts.seams import AnyUser
from imvo.core.fields import acting_user, optional_link, status_field


class SignalQuerySet(models.QuerySet["Signal"]):
    def visible_to(self, user: AnyUser) -> SignalQuerySet:
        """The raising organisation, the members it reached, the covenant's secretariat."""
        if roles.is_platform_admin(user):
            return self
        q = models.Q(covenant_id__in=roles.managed_covenant_ids(user))
        oid = roles.organisation_id(user)
        if oid:
            q |= models.Q(raised_by_id=oid) | models.Q(forwardings__organisation_id=oid)
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
