from django.urls import path

from signin import views

app_name = "signin"

urlpatterns = [
    path("kod/", views.second_factor, name="second_factor"),
    path("aktivera/", views.enrol, name="enrol"),
    path("administration/", views.administration, name="administration"),
    path(
        "administration/<int:pk>/nollstall/",
        views.second_factor_reset_view,
        name="second_factor_reset",
    ),
]
