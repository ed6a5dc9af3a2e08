from django.contrib import admin

from imvo.covenants import models


class StepInline(admin.TabularInline):
    model = models.ProcessStep
    extra = 0


@admin.register(models.Covenant)
class CovenantAdmin(admin.ModelAdmin):
    list_display = ("name_en", "sector", "phase", "start_date", "end_date")
    prepopulated_fields = {"slug": ("name_en",)}
    inlines = [StepInline]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "country")
    list_filter = ("type",)
    search_fields = ("name",)


@admin.register(models.Adherence)
class AdherenceAdmin(admin.ModelAdmin):
    list_display = ("organisation", "covenant", "role", "status", "since", "until")
    list_filter = ("covenant", "role", "status")


class SeatInline(admin.TabularInline):
    model = models.Seat
    extra = 0


@admin.register(models.GovernanceBody)
class GovernanceBodyAdmin(admin.ModelAdmin):
    inlines = [SeatInline]


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "covenant", "parent")


class MeasurementInline(admin.TabularInline):
    model = models.KpiMeasurement
    extra = 0


@admin.register(models.Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ("number", "title_en", "covenant", "deadline")
    list_filter = ("covenant",)
    inlines = [MeasurementInline]
