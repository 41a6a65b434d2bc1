"""The access log: written by one helper, append-only through the ORM and raw SQL."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.access import logs_access, record_access
from cases.models import AccessLog
from cases.models.access import AppendOnlyError
from cases.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_row(caseworker):
    request = RequestFactory().get("/")
    request.user = caseworker
    request.request_id = "abc12345"
    return record_access(request, subject_type="case", subject_id=7)


def test_record_access_snapshots_who_what_and_request(log_row, caseworker):
    assert log_row.user == caseworker
    assert log_row.username == caseworker.username
    assert log_row.role == Role.CASEWORKER
    assert log_row.unit == caseworker.unit
    assert (log_row.subject_type, log_row.subject_id) == ("case", "7")
    assert log_row.outcome == AccessLog.Outcome.ALLOWED
    assert log_row.request_id == "abc12345"
    assert log_row.at.tzinfo is not None


def test_orm_cannot_update_or_delete(log_row):
    log_row.subject_id = "8"
    with pytest.raises(AppendOnlyError):
        log_row.save()
    with pytest.raises(AppendOnlyError):
        log_row.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=log_row.pk).update(subject_id="9")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.bulk_update([log_row], ["subject_id"])

    assert AccessLog.objects.get(pk=log_row.pk).subject_id == "7"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases_accesslog SET subject_id = '9' WHERE id = %s",
        "DELETE FROM cases_accesslog WHERE id = %s",
    ],
)
def test_raw_sql_cannot_update_or_delete(log_row, statement):
    with pytest.raises(DatabaseError, match="endast för tillägg"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [log_row.pk])

    assert AccessLog.objects.get(pk=log_row.pk).subject_id == "7"


def _view_raising(exc):
    @logs_access("case")
    def view(request, pk):
        if exc:
            raise exc
        return HttpResponse("ok")

    return view


@pytest.mark.parametrize(
    ("exc", "outcome"),
    [(None, "allowed"), (Http404, "denied"), (PermissionDenied, "denied")],
)
def test_decorator_logs_outcome(caseworker, exc, outcome):
    request = RequestFactory().get("/")
    request.user = caseworker
    view = _view_raising(exc)

    if exc:
        with pytest.raises(exc):
            view(request, pk=42)
    else:
        view(request, pk=42)

    row = AccessLog.objects.get()
    assert (row.subject_type, row.subject_id, row.outcome) == ("case", "42", outcome)


def test_unit_manager_reads_own_unit_log_and_the_read_is_logged(
    client, unit_manager, caseworker, other_unit, make_user
):
    outsider = make_user(Role.CASEWORKER, unit=other_unit)
    for user in (caseworker, outsider):
        request = RequestFactory().get("/")
        request.user = user
        record_access(request, subject_type="case", subject_id=user.pk)
    client.force_login(unit_manager)

    response = client.get(reverse("unit_access_log"))

    assert response.status_code == 200
    usernames = {row.username for row in response.context["page"]}
    assert caseworker.username in usernames
    assert outsider.username not in usernames
    assert AccessLog.objects.filter(user=unit_manager, subject_type="access_log").exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.RECEPTION, Role.ADMINISTRATOR])
def test_access_log_page_closed_to_other_roles(client, make_user, role):
    client.force_login(make_user(role))

    assert client.get(reverse("unit_access_log")).status_code == 403


def _queries_for_log_page(client, unit_manager, extra_rows, caseworker):
    request = RequestFactory().get("/")
    request.user = caseworker
    for i in range(extra_rows):
        record_access(request, subject_type="case", subject_id=i)
    client.force_login(unit_manager)
    client.get(reverse("unit_access_log"))  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("unit_access_log")).status_code == 200
    return len(ctx)


def test_access_log_page_has_fixed_query_count(client, unit_manager, caseworker):
    few = _queries_for_log_page(client, unit_manager, 3, caseworker)
    many = _queries_for_log_page(client, unit_manager, 60, caseworker)

    assert few == many


def test_the_live_preview_writes_no_access_log_row_after_the_page(client, caseworker):
    """Issue 14: the preview wrote a row on each keystroke – on SQLite, the write that
    collided with *Spara beräkningen*. The page logs the read; previews add nothing."""
    from datetime import date

    from cases.services.applications import application_register
    from cases.tests.factories import CaseFactory, PersonFactory

    applicant = PersonFactory(birth_date=date(1985, 3, 3))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    application = application_register(
        case, actor=caseworker, month=date(2026, 11, 1), channel="e_service", applicant=applicant
    )
    client.force_login(caseworker)
    page = client.get(reverse("application_detail", args=[case.pk, application.pk]))
    assert page.status_code == 200
    logged = AccessLog.objects.count()
    url = reverse("application_preview", args=[case.pk, application.pk])
    for rent in ("5", "50", "500", "5000"):
        data = {
            "kostnad-TOTAL_FORMS": "1",
            "kostnad-INITIAL_FORMS": "0",
            "kostnad-0-kind": "rent",
            "kostnad-0-actual": rent,
            "kostnad-0-accepted": rent,
            "inkomst-TOTAL_FORMS": "0",
            "inkomst-INITIAL_FORMS": "0",
            "version": application.version,
        }
        assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    assert AccessLog.objects.count() == logged


def test_a_preview_without_the_page_writes_nothing_and_shows_nothing(client, caseworker, make_user):
    """Issue 17: the live preview never writes. Posted without the page that logged the
    read (lag 2001:454 10 §), it shows no figures – only "reload the page"; a refused
    preview is logged as every refusal is."""
    from datetime import date

    from cases.services.applications import application_register
    from cases.tests.factories import CaseFactory, PersonFactory

    applicant = PersonFactory(birth_date=date(1985, 3, 3))
    case = CaseFactory(caseworker=caseworker, applicant=applicant)
    application = application_register(
        case, actor=caseworker, month=date(2026, 11, 1), channel="e_service", applicant=applicant
    )
    url = reverse("application_preview", args=[case.pk, application.pk])
    client.force_login(caseworker)
    data = {
        "kostnad-TOTAL_FORMS": "1",
        "kostnad-INITIAL_FORMS": "0",
        "kostnad-0-kind": "rent",
        "kostnad-0-actual": "5000",
        "inkomst-TOTAL_FORMS": "0",
        "inkomst-INITIAL_FORMS": "0",
        "version": application.version,
    }
    before = AccessLog.objects.count()
    first = client.post(url, data)
    client.post(url, data)
    assert AccessLog.objects.count() == before
    assert "Ladda om sidan" in first.content.decode()
    assert "berakning-resultat" not in first.content.decode()
    stranger = make_user(Role.CASEWORKER, unit=None)
    client.force_login(stranger)
    assert client.post(url, {}).status_code == 404
    assert AccessLog.objects.filter(user=stranger, outcome="denied").count() == 1
    client.force_login(caseworker)
    client.get(reverse("application_detail", args=[case.pk, application.pk]))
    logged = AccessLog.objects.count()
    assert "berakning-resultat" in client.post(url, data).content.decode()
    assert AccessLog.objects.count() == logged
