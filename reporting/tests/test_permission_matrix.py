"""Every URL in ``reporting`` against every kind of user (issue 13): the unit manager's
follow-up is the unit's own, jobs belong to whoever ordered them. A URL without an entry
here fails the test."""

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.tests.matrix import FORBIDDEN, NOT_FOUND, OK, STAFF, expect, outcomes
from reporting import jobs

MANAGER_PAGE = expect(dict.fromkeys(STAFF, FORBIDDEN), manager=OK, other_manager=OK)
JOB_PAGE = expect(
    dict.fromkeys(STAFF, FORBIDDEN), own=OK, colleague=OK, other_unit=OK, manager=OK,
    other_manager=OK,
)  # fmt: skip
IMPORT_PAGE = expect(
    dict.fromkeys(STAFF, FORBIDDEN), manager=OK, other_manager=OK, administrator=OK
)
# A job is the orderer's: the unit manager who ordered it; every other staff member
# gets the answer for a missing job (404) or, without the role, 403.
OWN_JOB = expect(
    dict.fromkeys(STAFF, NOT_FOUND), reception=FORBIDDEN, administrator=FORBIDDEN, manager=OK
)
OWN_IMPORT = expect(dict.fromkeys(STAFF, FORBIDDEN), manager=OK, other_manager=NOT_FOUND)

ENTRIES = {
    "dashboard": ("get", None, MANAGER_PAGE, None),
    "overdue": ("get", None, MANAGER_PAGE, None),
    "indicators": ("get", None, MANAGER_PAGE, None),
    "case_reviews": ("get", None, MANAGER_PAGE, None),
    "log_review": ("get", None, MANAGER_PAGE, None),
    "log_review_done": ("post", None, MANAGER_PAGE, {}),
    "statistics": ("get", None, MANAGER_PAGE, None),
    "io_export": ("get", None, JOB_PAGE, None),
    "io_import": ("get", None, IMPORT_PAGE, None),
    "io_job": ("get", lambda w: [w["export"].pk], OWN_JOB, None),
    "io_job_status": ("get", lambda w: [w["export"].pk], OWN_JOB, None),
    "io_job_download": ("get", lambda w: [w["export"].pk], OWN_JOB, None),
    "io_import_confirm": ("post", lambda w: [w["preview"].pk], OWN_IMPORT, {}),
}


def url_names():
    from reporting import urls

    return sorted(p.name for p in urls.urlpatterns if p.name)


def test_every_reporting_url_has_an_entry():
    missing = set(url_names()) - set(ENTRIES)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


@pytest.fixture
def world(db, make_user, unit, other_unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    users = {
        "own": make_user(Role.CASEWORKER),
        "colleague": make_user(Role.CASEWORKER),
        "other_unit": make_user(Role.CASEWORKER, unit=other_unit),
        "manager": make_user(Role.UNIT_MANAGER),
        "other_manager": make_user(Role.UNIT_MANAGER, unit=other_unit),
        "reception": make_user(Role.RECEPTION),
        "administrator": make_user(Role.ADMINISTRATOR),
        "deactivated": make_user(Role.UNIT_MANAGER),
    }
    export = jobs.export_job_create(actor=users["manager"], kind="export_cases", file_format="csv")
    jobs.job_run(export.pk)
    export.refresh_from_db()
    csv = "hushåll;roll;personnummer;förnamn;efternamn;födelsedatum;från\n".encode()
    preview = jobs.import_preview_create(
        actor=users["manager"], upload=SimpleUploadedFile("a.csv", csv)
    )
    return {"users": users, "export": export, "preview": preview}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(ENTRIES))
def test_permission_matrix(client, world, url_name):
    method, args, expected, data = ENTRIES[url_name]
    url = reverse(f"reporting:{url_name}", args=args(world) if args else None)
    assert outcomes(client, world["users"], url, method, data) == expected
