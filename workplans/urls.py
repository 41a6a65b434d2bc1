from django.urls import path

from workplans import views

app_name = "workplans"
urlpatterns = [
    path("arende/<int:case_pk>/ny/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/autospara/", views.plan_autosave, name="plan_autosave"),
    path("<int:pk>/spara/", views.plan_save, name="plan_save"),
    path("<int:pk>/ateruppta/", views.plan_reopen_view, name="plan_reopen"),
    path("<int:pk>/kassera/", views.plan_discard_view, name="plan_discard"),
    path("<int:pk>/underskrift/", views.plan_sign, name="plan_sign"),
    path("<int:pk>/revidera/", views.plan_revise_view, name="plan_revise"),
    path("<int:pk>/uppfoljning/", views.follow_up_add, name="follow_up_add"),
    path("<int:pk>/jamfor/", views.plan_compare, name="plan_compare"),
    path("<int:pk>/version/<int:number>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(
        "<int:pk>/underskrifter/<int:signature_pk>/kopia/",
        views.signature_copy,
        name="signature_copy",
    ),
    path("aktivitet/<int:activity_pk>/", views.activity_open, name="activity_open"),
]
