from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("arbetsplaner/", include("workplans.urls")),
    path("remisser/", include("referrals.urls")),
    path("uppfoljning/", include("reporting.urls")),
]

handler400 = "django.views.defaults.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "django.views.defaults.server_error"
