from django.contrib import admin
from django.urls import include, path
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from signin.views import SsoStartView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("arbetsplaner/", include("workplans.urls")),
    path("remisser/", include("referrals.urls")),
    path("uppfoljning/", include("reporting.urls")),
    path("inloggning/", include("signin.urls")),
    # mozilla-django-oidc's two steps (names as the library reverses them); its logout
    # is Vägen's own (cases.views.auth.LogoutView, which asks the IdP to end its session).
    path("oidc/authenticate/", SsoStartView.as_view(), name="oidc_authentication_init"),
    path(
        "oidc/callback/",
        OIDCAuthenticationCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    # Min ansökan: the citizen's e-service (its own session, eservice.sessions) and the
    # staff side of it (the staff session and the case gate).
    path("e-tjanst/", include("eservice.urls")),
    path("e-tjanst-underlag/", include("eservice.staff_urls")),
]

handler400 = "django.views.defaults.bad_request"
handler403 = "django.views.defaults.permission_denied"
handler404 = "django.views.defaults.page_not_found"
handler500 = "django.views.defaults.server_error"
