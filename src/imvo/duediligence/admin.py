"""Administration: the secretariat's framework questions can be edited here."""

from django.contrib import admin

from imvo.duediligence.models import (
    Element,
    EscalationStep,
    Framework,
    Question,
    Submission,
    SubmissionVersion,
)


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "covenant", "kind", "active"]
    list_filter = ["covenant", "kind", "active"]
    inlines = [ElementInline]


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["title", "framework", "oecd_step", "weight"]
    list_filter = ["framework__covenant"]
    inlines = [QuestionInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "covenant", "year", "status", "score", "decision"]
    list_filter = ["covenant", "year", "status", "decision"]
    readonly_fields = ["self_score", "score", "submitted_at", "decided_at"]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(admin.ModelAdmin):
    list_display = ["submission", "number", "status", "created"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # versions are evidence of what was handed in

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ["organisation", "covenant", "step", "date"]
    list_filter = ["covenant", "step"]
