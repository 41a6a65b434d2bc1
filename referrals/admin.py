"""Providers and their services in the admin site – reference data for administrators
(who see no case content: referrals themselves are not in the admin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cases.admin_versions import VersionCheckedAdmin
from referrals.models import Provider, ProviderService


class ProviderServiceInline(admin.TabularInline):
    model = ProviderService
    extra = 1
    fields = ("name", "description", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False  # referrals point at services: deactivate instead


@admin.register(Provider)
class ProviderAdmin(VersionCheckedAdmin, admin.ModelAdmin):
    """The provider's version guards the provider and its services (one change form):
    a save made against an older version is refused (``cases.admin_versions``)."""

    list_display = ("name", "kind", "response_days", "follow_up_days", "n_services", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "services__name")
    inlines = [ProviderServiceInline]
    fieldsets = (
        (None, {"fields": ("name", "kind", "is_active")}),
        (_("Kontakt"), {"fields": ("contact_name", "phone", "email", "address")}),
        (_("Tider"), {"fields": ("response_days", "follow_up_days")}),
    )

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_n_services=Count("services"))

    @admin.display(description=_("insatser"), ordering="_n_services")
    def n_services(self, obj):
        return obj._n_services

    def has_delete_permission(self, request, obj=None):
        return False  # referrals point at providers: deactivate instead
