"""Admin: platform admins moderate the learning library."""

from __future__ import annotations

from django.contrib import admin

from imvo.library.models import LearningAttachment, LearningItem


class LearningAttachmentInline(admin.TabularInline):
    model = LearningAttachment
    extra = 0
    readonly_fields = ["name", "content_type", "size", "file"]


@admin.register(LearningItem)
class LearningItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "covenant", "theme", "organisation", "published_at"]
    list_filter = ["kind", "covenant"]
    search_fields = ["title", "summary", "text"]
    inlines = [LearningAttachmentInline]
