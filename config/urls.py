from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("arbetsplaner/", include("workplans.urls")),
    path("remisser/", include("referrals.urls")),
    path("uppfoljning/", include("reporting.urls")),
    # Min ansökan: the citizen's e-service (its own session, eservice.sessions) and the
    # staff side of it (the staff session and the case gate).
    path("e-tjanst/", include("eservice.urls")),
    path("e-tjanst-underlag/", include("eservice.staff_urls")),
]

handler400 = "django.views.defaults.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "django.views.defaults.server_error"
