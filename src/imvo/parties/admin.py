"""Admin: the frozen production-locations overviews the covenant's parties read
(`LocationRelease`), for platform administrators to see which release a party
was shown and when. Read-only: a release is made by `services.locations` by its
rule (docs/parties.md, "Production locations"), never by hand; the member
fingerprints it keeps are not shown (docs/security.md T73)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imvo.core.admin import ReadOnlyAdmin
from imvo.parties.models import LocationRelease


@admin.register(LocationRelease)
class LocationReleaseAdmin(ReadOnlyAdmin):
    list_display = ["id", "covenant", "made", "minimum", "member_count"]
    list_filter = ["covenant"]
    date_hierarchy = "made"
    # `members` (a fingerprint per member, by organisation id) is the release
    # rule's own bookkeeping, never shown: the count is.
    fields = ["covenant", "made", "minimum", "member_count", "figures"]
    readonly_fields = ["covenant", "made", "minimum", "member_count", "figures"]

    @admin.display(description=_("members counted"))
    def member_count(self, release: LocationRelease) -> int:
        return len(release.members or {})
