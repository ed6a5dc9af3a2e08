"""Admin: platform admins inspect published reports (read-only: a published
edition is never edited, only superseded)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from imvo.reporting.models import PublishedReport, SectionText


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ["covenant", "year", "version", "language", "published_at", "published_by"]
    list_filter = ["covenant", "language"]
    exclude = ["pdf", "html", "snapshot"]
    readonly_fields = [
        "covenant",
        "year",
        "version",
        "language",
        "published_at",
        "published_by",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SectionText)
class SectionTextAdmin(admin.ModelAdmin):
    list_display = ["covenant", "year", "section_key", "updated", "updated_by"]
    list_filter = ["covenant", "year"]
