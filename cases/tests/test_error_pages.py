"""With DEBUG on (``DJANGO_DEBUG=1 make run``) people still see the Swedish 404 and 500
pages, not Django's English technical pages (issue 14); the traceback goes to the log.
The middleware is the one ``config.settings.local`` adds when DEBUG is on."""

import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWEDISH_404 = "Sidan hittades inte"


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "cases.middleware.SwedishErrorPagesMiddleware"]
    settings.ROOT_URLCONF = "cases.tests.error_urls"
    return settings


def test_an_address_that_does_not_exist(client, caseworker, debug):
    client.force_login(caseworker)
    response = client.get("/finns-inte/")
    page = response.content.decode()
    assert response.status_code == 404
    assert SWEDISH_404 in page
    assert "Page not found" not in page and "URLconf" not in page


def test_a_page_the_user_may_not_see(client, caseworker, debug):
    client.force_login(caseworker)
    response = client.get(reverse("case_detail", args=[999_999]))
    page = response.content.decode()
    assert response.status_code == 404
    assert SWEDISH_404 in page
    assert "Page not found" not in page


def test_a_bug_shows_the_swedish_500_and_logs_the_traceback(client, caseworker, debug, caplog):
    client.force_login(caseworker)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/test-trasig/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in page and "RuntimeError" not in page
    assert "Tekniskt fel" in page and 'lang="sv"' in page
    assert any(record.exc_info and "a bug" in str(record.exc_info[1]) for record in caplog.records)


def test_local_settings_install_it_only_with_debug(monkeypatch):
    import importlib

    import config.settings.local as local

    monkeypatch.setenv("DJANGO_DEBUG", "1")
    with_debug = importlib.reload(local)
    assert "cases.middleware.SwedishErrorPagesMiddleware" in with_debug.MIDDLEWARE
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    without = importlib.reload(local)
    assert "cases.middleware.SwedishErrorPagesMiddleware" not in without.MIDDLEWARE
