"""The project's URLs plus a view that fails, for the error-page tests."""

from django.urls import path

from config.urls import urlpatterns as project_urls


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [path("test-trasig/", broken), *project_urls]
