from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from imvo.accounts.models import ApiToken, CovenantRole, SealedTOTPDevice, User


class CovenantRoleInline(admin.TabularInline):
    model = CovenantRole
    extra = 0


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("IMVO", {"fields": ("organisation",)}))  # type: ignore[misc]
    list_display = ("username", "email", "organisation", "is_superuser", "is_active")
    inlines = [CovenantRoleInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created", "last_used", "revoked")
    readonly_fields = ("prefix", "key_hash", "created", "last_used")


@admin.register(SealedTOTPDevice)
class SealedTOTPDeviceAdmin(admin.ModelAdmin):
    """Lets an admin remove a lost authenticator; the secret itself is never shown."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    fields = ("user", "name", "confirmed")
    readonly_fields = ("user",)
