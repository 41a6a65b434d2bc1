"""Graceful overload (issue 20, cases.overload): a request that waited too long in the
queue gets 503 with a Swedish page at once; a cancelled statement becomes the same 503."""

import time

import pytest
from django.db import OperationalError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from cases.overload import OverloadMiddleware, request_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue_limit(settings):
    settings.VAGEN_REQUEST_QUEUE_TIMEOUT_MS = 2000


def test_a_request_that_waited_too_long_is_shed_in_swedish(client, caseworker, queue_limit):
    client.force_login(caseworker)
    waited = f"t={time.time() - 5:.3f}"

    response = client.get(reverse("case_list"), headers={"x-request-start": waited})

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "hårt belastad" in body and 'lang="sv"' in body


def test_a_fresh_request_is_served(client, caseworker, queue_limit):
    client.force_login(caseworker)
    fresh = f"t={int(time.time() * 1000)}"  # nginx's ${msec} without the dot: ms
    assert client.get(reverse("case_list"), headers={"x-request-start": fresh}).status_code == 200
    assert client.get(reverse("case_list")).status_code == 200  # no stamp: nothing to judge


def test_the_guard_is_off_by_default(client, caseworker, settings):
    settings.VAGEN_REQUEST_QUEUE_TIMEOUT_MS = 0
    client.force_login(caseworker)
    old = f"t={time.time() - 600}"
    assert client.get(reverse("case_list"), headers={"x-request-start": old}).status_code == 200


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("t=1764590400.5", 1764590400.5),
        ("t=1764590400500", 1764590400.5),
        ("t=1764590400500000", 1764590400.5),
        ("garbage", None),
        ("t=", None),
    ],
)
def test_request_start_formats(header, seconds):
    assert request_start(header) == seconds


def test_a_statement_over_the_deadline_becomes_503():
    with pytest.raises(OperationalError) as caught, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")
    request = RequestFactory().get("/")
    response = OverloadMiddleware(lambda r: None).process_exception(request, caught.value)

    assert response is not None and response.status_code == 503
    assert "hårt belastad" in response.content.decode()
    # Any other database error stays an error.
    assert OverloadMiddleware(lambda r: None).process_exception(request, OperationalError()) is None
