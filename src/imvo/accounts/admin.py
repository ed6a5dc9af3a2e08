from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from imvo.accounts.models import ApiToken, CovenantRole, User


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
