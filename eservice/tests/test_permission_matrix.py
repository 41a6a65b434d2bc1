"""Every URL of the e-service against every relation (issue 19): the staff relations of
the project's matrix (cases.tests.matrix), anonymous, a deactivated user, the citizen
whose data it is and another citizen. Staff sessions open no e-service page (they are
sent to the e-service's own sign-in), the other citizen opens nothing of the first
(404), and the staff side of the e-service (attachments) follows the case gate."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import get_resolver, reverse
from django.utils import timezone

from cases.roles import Role
from cases.services.applications import supplement_request
from cases.tests.factories import PersonFactory
from cases.tests.letters import applied_case, decide, item
from cases.tests.matrix import CITIZEN_COOKIE, LOGIN, NOT_FOUND, OK, RELATIONS
from cases.workdays import first_of_month
from eservice import services
from eservice.models import CitizenSession
from eservice.sessions import citizen_session_start

E_LOGIN = "e-login"  # sent to the e-service's own sign-in
BAD = 400
ERELATIONS = [*RELATIONS, "other_citizen"]
STAFFISH = ["own", "colleague", "other_unit", "manager", "other_manager", "reception"]
STAFFISH += ["administrator", "anonymous", "deactivated"]


def citizen_page(**overrides):
    table = dict.fromkeys(STAFFISH, E_LOGIN)
    table.update(citizen=OK, other_citizen=NOT_FOUND)
    table.update(overrides)
    return table


EVERYONE = dict.fromkeys(ERELATIONS, OK)
STAFF_ATTACHMENT = {
    **dict.fromkeys(ERELATIONS, NOT_FOUND),
    "own": OK,
    "colleague": OK,
    "manager": OK,
    "anonymous": LOGIN,
    "deactivated": LOGIN,
    "citizen": LOGIN,
    "other_citizen": LOGIN,
}

# url name -> (method, args builder, expectations, data)
ENTRIES = {
    "eservice:home": ("get", None, citizen_page(other_citizen=OK), None),
    "eservice:login": ("get", None, EVERYONE, None),
    # Off to the IdP (a redirect) for everyone; a signed-in citizen may sign in anew.
    "eservice:login_start": ("get", None, EVERYONE, None),
    "eservice:logout": ("post", None, dict.fromkeys(ERELATIONS, E_LOGIN), {}),
    "eservice:set_language": ("post", None, EVERYONE, {"language": "en", "next": "/e-tjanst/"}),
    "eservice:metadata": ("get", None, EVERYONE, None),
    "eservice:acs": ("post", None, dict.fromkeys(ERELATIONS, BAD), {}),
    "eservice:decision_letter": ("get", lambda w: [w["decision"].pk], citizen_page(), None),
    "eservice:attachment": ("get", lambda w: [w["attachment"].pk], citizen_page(), None),
    "eservice:apply_start": ("post", None, citizen_page(other_citizen=OK), {}),
    "eservice:apply_step": (
        "get",
        lambda w: [w["eapplication"].pk, "sign"],
        citizen_page(),
        None,
    ),
    "eservice:supplement_answer": ("get", lambda w: [w["supplement"].pk], citizen_page(), None),
    "eservice:message": ("get", None, citizen_page(other_citizen=OK), None),
    "eservice_staff:attachment": ("get", lambda w: [w["attachment"].pk], STAFF_ATTACHMENT, None),
}

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(db, make_user, unit, other_unit):
    own = make_user(Role.CASEWORKER)
    manager = make_user(Role.UNIT_MANAGER)
    application = applied_case(own, month=first_of_month(timezone.localdate()))
    decision = decide(
        application,
        own,
        [item("livelihood", "granted", application.result, "sol2025-12-1")],
        approver=manager,
    )
    PersonFactory(personnummer="194408139089")
    citizen = CitizenSession.objects.create(
        key_hash="x", personnummer="191212121212", person=application.applicant
    )
    eapplication = services.eapplication_start(citizen)
    attachment = services.attachment_add(
        citizen,
        upload=SimpleUploadedFile("hyra.pdf", PDF),
        kind="hyresavi",
        line="cost:rent",
        eapplication=eapplication,
    )
    services.eapplication_sign(citizen, eapplication, name="Alva Lind")
    users = {
        "own": own,
        "colleague": make_user(Role.CASEWORKER),
        "other_unit": make_user(Role.CASEWORKER, unit=other_unit),
        "manager": manager,
        "other_manager": make_user(Role.UNIT_MANAGER, unit=other_unit),
        "reception": make_user(Role.RECEPTION),
        "administrator": make_user(Role.ADMINISTRATOR),
        "deactivated": make_user(Role.CASEWORKER),
    }
    return {
        "users": users,
        "decision": decision,
        "eapplication": eapplication,
        "attachment": attachment,
        "supplement": supplement_request(
            application, actor=own, what="Hyresavi", due_on=timezone.localdate() + timedelta(7)
        ),
    }


def outcome(response):
    if response.status_code in (400, 403, 404):
        return response.status_code
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("eservice:login")):
            return E_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
    assert response.status_code in (200, 302), response.status_code
    return OK


def _citizen(client, personnummer):
    response = HttpResponse()
    citizen_session_start(response, personnummer=personnummer)
    client.cookies[CITIZEN_COOKIE] = response.cookies[CITIZEN_COOKIE].value


def test_every_eservice_url_has_an_entry():
    from eservice import staff_urls, urls

    names = {f"eservice:{p.name}" for p in urls.urlpatterns}
    names |= {f"eservice_staff:{p.name}" for p in staff_urls.urlpatterns}
    assert names == set(ENTRIES)
    assert get_resolver() is not None


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_permission_matrix(client, eid, world, name):
    method, args, expected, data = ENTRIES[name]
    url = reverse(name, args=args(world) if args else None)
    got = {}
    for relation in ERELATIONS:
        client.logout()
        client.cookies.pop(CITIZEN_COOKIE, None)
        user = world["users"].get(relation)
        if relation == "citizen":
            _citizen(client, "191212121212")
        elif relation == "other_citizen":
            _citizen(client, "194408139089")
        elif user is not None:
            client.force_login(user)
            if relation == "deactivated":
                user.is_active = False
                user.save(update_fields=["is_active"])
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        got[relation] = outcome(response)
        if relation == "deactivated":
            user.is_active = True
            user.save(update_fields=["is_active"])
    assert got == expected
