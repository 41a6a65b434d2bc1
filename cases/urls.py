from django.urls import path

from cases.views import auth, start

urlpatterns = [
    path("", auth.home, name="home"),
    path("logga-in/", auth.LoginView.as_view(), name="login"),
    path("logga-ut/", auth.LogoutView.as_view(), name="logout"),
    path("reception/", start.reception_start, name="reception_start"),
    path("mitt-arbete/", start.caseworker_start, name="caseworker_start"),
    path("min-enhet/", start.unit_manager_start, name="unit_manager_start"),
    path("min-enhet/atkomstlogg/", start.unit_access_log_view, name="unit_access_log"),
    path("administration/", start.administrator_start, name="administrator_start"),
]
