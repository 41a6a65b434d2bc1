from django.urls import path

from eservice import views

app_name = "eservice"

urlpatterns = [
    path("", views.home, name="home"),
    path("logga-in/", views.login, name="login"),
    path("logga-in/e-legitimation/", views.login_start, name="login_start"),
    path("logga-ut/", views.logout, name="logout"),
    path("sprak/", views.set_language, name="set_language"),
    path("saml/metadata/", views.metadata, name="metadata"),
    path("saml/acs/", views.acs, name="acs"),
    path("beslut/<int:pk>/brev/", views.decision_letter, name="decision_letter"),
    path("underlag/<int:pk>/", views.attachment_download, name="attachment"),
    path("ansok/", views.apply_start, name="apply_start"),
    path("ansokan/<int:pk>/<slug:step>/", views.apply_step, name="apply_step"),
    path("komplettering/<int:pk>/", views.supplement_answer, name="supplement_answer"),
    path("meddelande/", views.message, name="message"),
]
