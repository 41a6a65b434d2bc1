from django.urls import path

from eservice import staff_views

app_name = "eservice_staff"

urlpatterns = [
    path("underlag/<int:pk>/", staff_views.attachment_download, name="attachment"),
]
