from django.urls import path

from reporting import views, views_io

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("forsenade/", views.overdue, name="overdue"),
    path("indikatorer/", views.indicators, name="indicators"),
    path("arendegenomgangar/", views.case_reviews, name="case_reviews"),
    path("logggranskning/", views.log_review_view, name="log_review"),
    path("logggranskning/klar/", views.log_review_done, name="log_review_done"),
    path("statistik/", views.statistics, name="statistics"),
    # Exports and imports (reporting.views_io)
    path("export/", views_io.io_export, name="io_export"),
    path("import/", views_io.io_import, name="io_import"),
    path("jobb/<int:pk>/", views_io.io_job, name="io_job"),
    path("jobb/<int:pk>/status/", views_io.io_job_status, name="io_job_status"),
    path("jobb/<int:pk>/fil/", views_io.io_job_download, name="io_job_download"),
    path("jobb/<int:pk>/importera/", views_io.io_import_confirm, name="io_import_confirm"),
]
