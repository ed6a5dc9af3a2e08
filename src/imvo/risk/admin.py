"""Admin views of the risk data, for platform administrators: provenance first."""

from django.contrib import admin

from imvo.risk.models import IndicatorSource, PriorityOverride, RegisterEntry, SourcingEntry


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
