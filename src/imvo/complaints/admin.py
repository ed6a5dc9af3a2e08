"""Only the procedure settings are in the admin: cases stay out of it on purpose
(platform administrators are not case officers)."""

from django.contrib import admin

from imvo.complaints.models import ProcedureSettings


@admin.register(ProcedureSettings)
class ProcedureSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "covenant",
        "acknowledge_days",
        "admissibility_days",
        "decision_days",
        "retention_days",
    ]
