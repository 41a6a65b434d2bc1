"""Admin registrations: staff users and units (administrators only, see config.admin)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from cases.models import Unit, User
from cases.roles import Role

UNIT_ROLES = {Role.RECEPTION.value, Role.CASEWORKER.value, Role.UNIT_MANAGER.value}


class StaffUserChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User

    def clean(self):
        cleaned = super().clean()
        groups = cleaned.get("groups") or []
        if any(group.name in UNIT_ROLES for group in groups) and not cleaned.get("unit"):
            self.add_error(
                "unit", _("Reception, handläggare och enhetschefer måste tillhöra en enhet.")
            )
        return cleaned


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    list_display = ("username", "first_name", "last_name", "unit", "roles", "is_active")
    list_filter = ("unit", "groups", "is_active")
    list_select_related = ("unit",)
    search_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "title")}),
        (_("Enhet och roll"), {"fields": ("unit", "groups", "is_active")}),
        (_("Tider"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roller"))
    def roles(self, obj):
        return ", ".join(
            sorted(str(Role(g.name).label) for g in obj.groups.all() if g.name in Role)
        )

    def has_delete_permission(self, request, obj=None):
        # Staff who have read case data are referenced by the access log: deactivate.
        return False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_active")
    prepopulated_fields = {"code": ("name",)}
    search_fields = ("name", "code")
