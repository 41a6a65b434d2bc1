"""Sign-in through the real local IdP (pysaml2): the asserted personnummer identifies
the person; a tampered, replayed or unsolicited response signs nobody in."""

import base64

import pytest

from cases.tests.factories import PersonFactory
from eservice.models import CitizenSession
from eservice.tests.idp import idp_answer, sign_in

pytestmark = pytest.mark.django_db


def test_sign_in_resolves_the_person_by_the_asserted_number(client, eid):
    person = PersonFactory(personnummer="191212121212")
    response = sign_in(client, "191212121212")
    assert response.status_code == 302
    assert response["Location"] == "/e-tjanst/"
    session = CitizenSession.objects.get()
    assert session.person == person
    assert session.personnummer == "191212121212"
    cookie = response.cookies["vagen_etjanst"]
    assert cookie["path"] == "/e-tjanst/" and cookie["httponly"]
    assert client.get("/e-tjanst/").status_code == 200


def test_a_replayed_response_is_refused(client, eid):
    start = client.get("/e-tjanst/logga-in/e-legitimation/")
    action, fields = idp_answer(start["Location"], "191212121212")
    assert client.post("/e-tjanst/saml/acs/", fields)["Location"] == "/e-tjanst/"
    other = client.__class__()
    replay = other.post("/e-tjanst/saml/acs/", fields)
    assert "fel=1" in replay["Location"]
    assert CitizenSession.objects.count() == 1


def test_a_tampered_number_is_refused(client, eid):
    start = client.get("/e-tjanst/logga-in/e-legitimation/")
    _action, fields = idp_answer(start["Location"], "191212121212")
    xml = base64.b64decode(fields["SAMLResponse"]).decode()
    assert "191212121212" in xml
    fields["SAMLResponse"] = base64.b64encode(
        xml.replace("191212121212", "194408139089").encode()
    ).decode()
    response = client.post("/e-tjanst/saml/acs/", fields)
    assert "fel=1" in response["Location"]
    assert not CitizenSession.objects.exists()


def test_nothing_typed_identifies_anyone(client, eid):
    response = client.post("/e-tjanst/saml/acs/", {"SAMLResponse": "bm9uc2Vuc2U="})
    assert "fel=1" in response["Location"]
    assert client.get("/e-tjanst/").status_code == 302


@pytest.mark.parametrize(
    ("language", "text", "direction"),
    [
        ("sv", "Logga in med e-legitimation", "ltr"),
        ("en", "Sign in with e-identification", "ltr"),
        ("ar", "تسجيل الدخول بالهوية الإلكترونية", "rtl"),
    ],
)
def test_the_eservice_speaks_swedish_english_and_arabic(client, language, text, direction):
    response = client.post(
        "/e-tjanst/sprak/", {"language": language, "next": "/e-tjanst/logga-in/"}
    )
    assert response["Location"] == "/e-tjanst/logga-in/"
    page = client.get("/e-tjanst/logga-in/")
    body = page.content.decode()
    assert text in body
    assert f'lang="{language}" dir="{direction}"' in body
    assert page["Content-Language"] == language
    # Staff pages stay Swedish whatever the e-service's language.
    assert "Användarnamn" in client.get("/logga-in/").content.decode()


def test_a_response_for_another_browsers_request_is_refused(client, eid):
    """Login CSRF: the attacker's own valid response posted from the victim's browser,
    which started a sign-in of its own, signs nobody in."""
    attacker = client.__class__()
    start = attacker.get("/e-tjanst/logga-in/e-legitimation/")
    _action, fields = idp_answer(start["Location"], "191212121212")
    client.get("/e-tjanst/logga-in/e-legitimation/")  # the victim's own request cookie
    response = client.post("/e-tjanst/saml/acs/", fields)
    assert "fel=1" in response["Location"]
    assert not CitizenSession.objects.exists()
