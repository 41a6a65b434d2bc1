"""The permission matrix shared by every app's test_permission_matrix: who is asked
(RELATIONS), what they may get (``expect``) and what they got (``outcomes``)."""

from django.urls import reverse

OK, NOT_FOUND, FORBIDDEN, LOGIN = "ok", 404, 403, "login"
RELATIONS = [
    "own",
    "colleague",
    "other_unit",
    "manager",
    "other_manager",
    "reception",
    "administrator",
    "anonymous",
    "deactivated",
    # Issue 19: a citizen signed in to the e-service (its own session cookie, sent with
    # every request here) is no staff user – every staff URL answers "log in".
    "citizen",
]
STAFF = RELATIONS[:7]


def expect(*groups: dict, **overrides) -> dict:
    """Start from "404 for staff, login for anonymous" and layer on who gets what."""
    table = dict.fromkeys(RELATIONS, NOT_FOUND)
    table.update(anonymous=LOGIN, deactivated=LOGIN, citizen=LOGIN)
    for group in groups:
        table.update(group)
    table.update(overrides)
    return table


def outcome(response):
    if response.status_code in (403, 404):
        return response.status_code
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    assert response.status_code in (200, 302), response.status_code
    return OK


CITIZEN_COOKIE = "vagen_etjanst"


def sign_in_citizen(client, person=None) -> None:
    """Give ``client`` a citizen's e-service session (as the e-service's sign-in does
    after the IdP's answer; the matrix tests authorisation, eservice/tests the sign-in):
    the applicant of the world's first application, the person with most to see."""
    from django.apps import apps
    from django.http import HttpResponse

    if not apps.is_installed("eservice"):
        return
    from cases.models import Application, Person
    from eservice.sessions import citizen_session_start

    if person is None:
        first = Application.objects.order_by("pk").first()
        person = first.applicant if first else Person.objects.order_by("pk").first()
    response = HttpResponse()
    citizen_session_start(response, personnummer=(person.personnummer if person else "") or "")
    client.cookies[CITIZEN_COOKIE] = response.cookies[CITIZEN_COOKIE].value


def outcomes(client, users: dict, url: str, method: str, data: dict | None) -> dict:
    """Each relation's outcome of one request (a deactivated user is switched off for
    the request only)."""
    got = {}
    for relation in RELATIONS:
        client.logout()
        client.cookies.pop(CITIZEN_COOKIE, None)
        if relation == "citizen":
            sign_in_citizen(client)
        user = users.get(relation)
        if user is not None:
            client.force_login(user)
            if relation == "deactivated":
                user.is_active = False
                user.save(update_fields=["is_active"])
        response = client.post(url, data or {}) if method == "post" else client.get(url)
        got[relation] = outcome(response)
        if relation == "deactivated":
            user.is_active = True
            user.save(update_fields=["is_active"])
    return got
