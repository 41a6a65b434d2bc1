"""Expected refusals are one log line with the request id; real errors keep their
traceback (issue 14: 834 tracebacks for 417 refusals buried the real errors)."""

import logging

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_403_is_one_line_with_the_request_id(client, make_user, caplog):
    client.force_login(make_user(Role.RECEPTION))
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("case_list"))
    assert response.status_code == 403
    records = _request_records(caplog)
    assert len(records) == 1
    (record,) = records
    assert record.exc_info is None and record.exc_text is None
    assert record.request_id == response["X-Request-ID"]
    assert "Traceback" not in caplog.text


def test_a_404_from_the_gate_is_one_line_with_the_request_id(client, caseworker, make_user, caplog):
    case = CaseFactory(caseworker=caseworker)
    client.force_login(make_user(Role.CASEWORKER, unit=None))
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 404
    (record,) = _request_records(caplog)
    assert record.exc_info is None
    assert record.request_id == response["X-Request-ID"]
    assert "Traceback" not in caplog.text


def test_a_500_keeps_its_traceback():
    from cases.request_context import ExpectedClientErrorFilter

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            sys.exc_info(),
        )
    record.status_code = 500
    assert ExpectedClientErrorFilter().filter(record)
    assert record.exc_info is not None


def test_django_logs_reach_one_handler_only():
    """The root console handler only: Django's own 'django' console handler (DEBUG on)
    is not installed beside it, so no line is written twice."""
    assert logging.getLogger("django").handlers == []
    assert len(logging.getLogger().handlers) >= 1
