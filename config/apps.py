from django.contrib.admin.apps import AdminConfig


class VagenAdminConfig(AdminConfig):
    default_site = "config.admin.VagenAdminSite"
