from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from imvo.core.models import ScheduledJob


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen in the admin, never added, changed or deleted there: records the
    platform keeps by its own rules (a member's disclosure, a frozen release)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """The worker's schedule: what ran when, how it went, what runs next."""

    list_display = (
        "name",
        "what",
        "every_seconds",
        "last_status",
        "last_finished_at",
        "next_run_at",
        "runs",
        "failures",
    )
    readonly_fields = (
        "name",
        "what",
        "locked_until",
        "last_started_at",
        "last_finished_at",
        "last_status",
        "last_result",
        "runs",
        "failures",
    )
    actions = ["run_soon"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are registered by the apps, not typed in

    @admin.action(description="Run at the worker's next tick")
    def run_soon(self, request: HttpRequest, queryset) -> None:  # type: ignore[no-untyped-def]
        queryset.update(next_run_at=timezone.now())
