"""The Django admin, open to administrators only (users, units, norms, templates)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class VagenAdminSite(admin.AdminSite):
    site_header = "Vägen – administration"
    site_title = "Vägen"
    index_title = "Administration"

    def has_permission(self, request):
        from cases.roles import Role

        user = request.user
        return bool(user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR)))

    def login(self, request, extra_context=None):
        # One login page for the whole application. A signed-in administrator goes on
        # to the admin; any other signed-in user gets the ordinary Swedish 403 instead
        # of the admin's own login form.
        target = request.GET.get("next") or reverse("admin:index")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("admin:index")
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(target)
            raise PermissionDenied
        return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
