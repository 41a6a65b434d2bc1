from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("forsenade/", views.overdue, name="overdue"),
    path("indikatorer/", views.indicators, name="indicators"),
    path("arendegenomgangar/", views.case_reviews, name="case_reviews"),
    path("logggranskning/", views.log_review_view, name="log_review"),
    path("logggranskning/klar/", views.log_review_done, name="log_review_done"),
    path("statistik/", views.statistics, name="statistics"),
]
