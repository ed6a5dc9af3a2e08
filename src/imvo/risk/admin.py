"""Admin views of the risk data, for platform administrators: provenance first."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from imvo.core.admin import ReadOnlyAdmin
from imvo.risk.models import (
    IndicatorSource,
    PartyRelease,
    PriorityOverride,
    RegisterEntry,
    SourcingEntry,
)


@admin.register(IndicatorSource)
class IndicatorSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "edition_year", "publisher", "licence", "file_name", "imported"]
    readonly_fields = ["imported"]


class OverrideInline(admin.TabularInline):
    model = PriorityOverride
    extra = 0
    readonly_fields = ["previous", "new", "reason", "by", "at"]
    can_delete = False


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "theme_code",
        "country",
        "severity",
        "likelihood",
        "priority",
        "status",
    ]
    list_filter = ["theme_code", "status", "involvement"]
    search_fields = ["title", "organisation__name"]
    inlines = [OverrideInline]

    # Read-only: scores change through the service, which recomputes the priority and keeps
    # the override history; an admin edit would bypass both.
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(SourcingEntry)
class SourcingEntryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "country", "sector", "product", "workers"]


@admin.register(PartyRelease)
class PartyReleaseAdmin(ReadOnlyAdmin):
    """The frozen sector risk analyses the covenant's parties read: which release a
    party was shown and when. Read-only: a release is made by `party_release` by its
    rule (docs/risk.md, "What parties see"), never by hand; the member
    fingerprints it keeps are not shown (docs/security.md T51)."""

    list_display = ["id", "covenant", "made", "minimum", "indicators", "member_count"]
    list_filter = ["covenant"]
    date_hierarchy = "made"
    fields = ["covenant", "made", "minimum", "indicators", "member_count", "pages"]
    readonly_fields = ["covenant", "made", "minimum", "indicators", "member_count", "pages"]

    @admin.display(description=_("members counted"))
    def member_count(self, release: PartyRelease) -> int:
        return len(release.members or {})
