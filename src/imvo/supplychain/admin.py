"""Admin: the back office for the registry (merging duplicates). Members' supplier
lists and matches are shown read-only: a disclosure is changed by its member
only (docs/supplychain.md), not through the admin either."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from imvo.core.admin import ReadOnlyAdmin
from imvo.core.errors import DomainError
from imvo.supplychain import services
from imvo.supplychain.models import Facility, Match, SupplierList


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "address", "country", "sector", "merged_into"]
    list_filter = ["country"]
    search_fields = ["name", "address", "name_norm", "id"]
    readonly_fields = ["name_norm", "address_norm", "merged_into", "created"]
    actions = ["merge_into_first"]

    @admin.action(description=_("Merge the selected facilities into the one with the lowest id"))
    def merge_into_first(self, request: HttpRequest, queryset: QuerySet[Facility]) -> None:
        facilities = list(queryset.order_by("id"))
        if len(facilities) < 2:
            self.message_user(request, _("Select at least two facilities."), messages.ERROR)
            return
        keep = facilities[0]
        try:
            for duplicate in facilities[1:]:
                services.merge_facilities(request.user, keep, duplicate)
        except DomainError as e:
            self.message_user(request, str(e), messages.ERROR)
            return
        self.message_user(request, _("Merged into facility %(id)s.") % {"id": keep.pk})


class ReadOnly(ReadOnlyAdmin):
    """Seen, never added, changed or deleted here: a member's disclosure is its own."""


@admin.register(SupplierList)
class SupplierListAdmin(ReadOnly):
    list_display = ["id", "organisation", "covenant", "year", "original_name", "status", "uploaded"]
    list_filter = ["status", "year", "covenant"]
    readonly_fields = ["sha256", "size", "summary", "rows_total", "rows_done"]


@admin.register(Match)
class MatchAdmin(ReadOnly):
    list_display = ["id", "row", "facility", "score", "status", "remembered"]
    list_filter = ["status"]
    raw_id_fields = ["row", "facility"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("row", "facility")
