"""Administration → Inloggning in the admin: the group mapping is edited here; the
sign-in log and SSO identities are read-only."""

from django.contrib import admin

from signin.models import GroupRoleMapping, SignInEvent, SsoIdentity


@admin.register(GroupRoleMapping)
class GroupRoleMappingAdmin(admin.ModelAdmin):
    list_display = ["group", "role", "unit", "is_active", "note"]
    list_filter = ["role", "unit", "is_active"]
    search_fields = ["group", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignInEvent)
class SignInEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "kind", "method", "actor", "detail"]
    list_filter = ["kind", "method"]
    search_fields = ["username"]
    date_hierarchy = "at"


@admin.register(SsoIdentity)
class SsoIdentityAdmin(ReadOnlyAdmin):
    list_display = ["user", "issuer", "subject", "last_signed_in_at"]
    search_fields = ["user__username", "subject"]
