"""Admin: plan types and their deadline rules are data an administrator keeps. Plans
themselves are case content and are not in the admin (DESIGN.md: administrators see no
case content)."""

from django.contrib import admin

from workplans.models import PlanType


@admin.register(PlanType)
class PlanTypeAdmin(admin.ModelAdmin):
    list_display = (
        "label",
        "code",
        "deadline_rule",
        "deadline_amount",
        "starts_clock",
        "is_active",
        "ordering",
    )
    list_editable = ("ordering",)
    list_filter = ("is_active", "deadline_rule")

    def has_delete_permission(self, request, obj=None):
        # Plans refer to their type; retire a type with "aktiv" instead.
        return False
