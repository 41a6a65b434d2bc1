"""Single sign-on through the real demo IdP (oidc-provider, a subprocess): the test
client starts the flow, the IdP's own pages are walked over HTTP, and the callback the
IdP redirects to is handed to Vägen – or a tampered one, to see it refused."""

from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils import timezone

from cases.middleware import SIGNIN_METHOD_SESSION_KEY
from cases.models import AccessLog, Case, User
from cases.roles import Role
from cases.tests.factories import CaseFactory
from signin.backends import VagenOIDCBackend
from signin.models import GroupRoleMapping, SignInEvent


@pytest.fixture
def mappings(db, unit, other_unit):
    GroupRoleMapping.objects.create(group="vagen-handlaggare-nord", role=Role.CASEWORKER, unit=unit)
    GroupRoleMapping.objects.create(
        group="vagen-handlaggare-syd", role=Role.CASEWORKER, unit=other_unit
    )
    GroupRoleMapping.objects.create(
        group="vagen-enhetschef-nord", role=Role.UNIT_MANAGER, unit=unit
    )


def start(client) -> str:
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    return response["Location"]


def with_query(url: str, **changes) -> str:
    parts = urlparse(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunparse(parts._replace(query=urlencode(query)))


def sign_in(client, sso, sub: str):
    return client.get(sso.sign_in_url(start(client), sub))


def test_the_authorisation_request_carries_state_nonce_and_pkce(client, sso, mappings):
    query = parse_qs(urlparse(start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert "groups" in query["scope"][0].split()


def test_a_caseworker_signs_in_and_gets_the_mapped_role_and_unit(client, sso, mappings, unit):
    response = sign_in(client, sso, "demo-karin")

    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(sso_identity__subject="demo-karin")
    assert (user.username, user.first_name, user.last_name) == ("karin.sjoberg", "Karin", "Sjöberg")
    assert user.email == "karin.sjoberg@kommun.example"
    assert user.role_names == {Role.CASEWORKER.value} and user.unit == unit
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert client.session[SIGNIN_METHOD_SESSION_KEY] == "sso"
    assert client.get("/")["Location"] == reverse("caseworker_start")
    assert client.get(reverse("caseworker_start")).status_code == 200
    event = SignInEvent.objects.filter(user=user, kind="signed_in").get()
    assert event.method == "sso"
    # The access log says how the reader signed in.
    assert AccessLog.objects.filter(user=user).latest("pk").signin_method == "sso"


def test_the_session_key_is_rotated_at_sign_in(client, sso, mappings):
    authorize = start(client)
    before = client.session.session_key
    client.get(sso.sign_in_url(authorize, "demo-karin"))
    assert client.session.session_key != before


def test_a_user_in_no_mapped_group_is_refused_in_swedish(client, sso, mappings):
    response = sign_in(client, sso, "demo-ulla")

    assert response.status_code == 302 and response["Location"] == "/logga-in/"
    page = client.get("/logga-in/")
    assert "ger ingen behörighet i Vägen" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="ulla.ekonom").exists()
    assert SignInEvent.objects.filter(kind="refused", method="sso").exists()


def test_a_user_moved_to_another_group_loses_the_old_units_cases(
    client, sso, mappings, unit, other_unit, make_user
):
    sign_in(client, sso, "demo-karin")
    karin = User.objects.get(username="karin.sjoberg")
    case = CaseFactory(caseworker=karin)
    assert Case.objects.visible_to(karin).filter(pk=case.pk).exists()
    client.logout()

    sso.set_groups("demo-karin", ["vagen-handlaggare-syd"])
    sign_in(client, sso, "demo-karin")

    karin = User.objects.get(pk=karin.pk)
    assert karin.unit == other_unit and karin.role_names == {Role.CASEWORKER.value}
    case.refresh_from_db()
    assert case.caseworker is None
    assert not Case.objects.visible_to(karin).filter(pk=case.pk).exists()
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    # The case waits on the old unit's manager's start page.
    manager = make_user(Role.UNIT_MANAGER, unit=unit)
    client.force_login(manager)
    page = client.get(reverse("unit_manager_start")).content.decode()
    assert "Utan handläggare" in page and reverse("case_detail", args=[case.pk]) in page
    assert SignInEvent.objects.filter(user=karin, kind="roles_changed").count() == 2


def test_a_user_whose_groups_no_longer_map_loses_the_role_and_is_refused(client, sso, mappings):
    sign_in(client, sso, "demo-karin")
    karin = User.objects.get(username="karin.sjoberg")
    case = CaseFactory(caseworker=karin)
    client.logout()

    sso.set_groups("demo-karin", ["ekonomi-alla"])
    response = sign_in(client, sso, "demo-karin")

    assert response["Location"] == "/logga-in/"
    assert "_auth_user_id" not in client.session
    karin = User.objects.get(pk=karin.pk)
    assert karin.role_names == frozenset() and karin.unit is None
    case.refresh_from_db()
    assert case.caseworker is None


def test_a_wrong_state_is_refused(client, sso, mappings):
    callback = sso.sign_in_url(start(client), "demo-karin")
    response = client.get(with_query(callback, state="x" * 32))
    assert response.status_code in (302, 400)
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(username="karin.sjoberg").exists()


def test_a_callback_from_another_browsers_flow_is_refused(client, sso, mappings, django_user_model):
    from django.test import Client

    other = Client()
    callback = sso.sign_in_url(start(other), "demo-karin")
    start(client)  # this browser has a flow of its own, with another state
    client.get(callback)
    assert "_auth_user_id" not in client.session


def test_a_wrong_nonce_is_refused(client, sso, mappings):
    # The IdP puts the nonce it was sent into the ID token; this one is not the session's.
    authorize = with_query(start(client), nonce="n" * 32)
    response = client.get(sso.sign_in_url(authorize, "demo-karin"))
    assert response["Location"] == "/logga-in/"
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(kind="refused", detail__icontains="nonce").exists()


def test_an_expired_id_token_is_refused(client, sso, mappings):
    callback = sso.sign_in_url(start(client), "demo-karin")
    # The IdP issued the token just now, valid 10 minutes; Vägen's clock is 2 hours on.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get(callback)
    assert response["Location"] == "/logga-in/"
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(kind="refused", detail__icontains="utgånget").exists()


@pytest.fixture
def real_id_token(client, sso, mappings):
    sign_in(client, sso, "demo-karin")
    return client.session["oidc_id_token"]


def _verify(token, **kwargs):
    return VagenOIDCBackend().verify_token(token, **kwargs)


def test_the_real_id_token_verifies(real_id_token, sso):
    payload = _verify(
        real_id_token, nonce=jwt.decode(real_id_token, options={"verify_signature": False})["nonce"]
    )
    assert payload["sub"] == "demo-karin" and payload["iss"] == sso.issuer


def test_a_tampered_id_token_is_refused(real_id_token):
    header, payload, signature = real_id_token.split(".")
    claims = jwt.decode(real_id_token, options={"verify_signature": False})
    claims["sub"] = "demo-lena"
    forged_payload = jwt.api_jws.base64url_encode(
        jwt.api_jws.json.dumps(claims, separators=(",", ":")).encode()
    ).decode()
    with pytest.raises(SuspiciousOperation):
        _verify(f"{header}.{forged_payload}.{signature}", nonce=claims["nonce"])


def test_a_token_signed_by_another_key_or_unsigned_is_refused(real_id_token, settings):
    claims = jwt.decode(real_id_token, options={"verify_signature": False})
    kid = jwt.get_unverified_header(real_id_token)["kid"]
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for token in (
        jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": kid}),
        jwt.encode(claims, settings.OIDC_RP_CLIENT_SECRET, algorithm="HS256", headers={"kid": kid}),
        jwt.encode(claims, None, algorithm="none", headers={"kid": kid}),
    ):
        with pytest.raises(SuspiciousOperation):
            _verify(token, nonce=claims["nonce"])


def test_a_token_for_another_client_or_from_another_issuer_is_refused(real_id_token, settings):
    nonce = jwt.decode(real_id_token, options={"verify_signature": False})["nonce"]
    settings.OIDC_RP_CLIENT_ID = "another-application"
    with pytest.raises(SuspiciousOperation, match="aud"):
        _verify(real_id_token, nonce=nonce)
    settings.OIDC_RP_CLIENT_ID = "vagen"
    settings.VAGEN_OIDC_ISSUER = "https://idp.other.example"
    with pytest.raises(SuspiciousOperation, match="iss"):
        _verify(real_id_token, nonce=nonce)


def test_logout_ends_the_idp_session_too(client, sso, mappings):
    sign_in(client, sso, "demo-karin")
    id_token = client.session["oidc_id_token"]

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{sso.issuer}/session/end?")
    query = parse_qs(urlparse(location).query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/logga-in/"]
    assert "_auth_user_id" not in client.session
    # The IdP accepts the request (no error page: the hint and the return address are
    # those it issued and registered). The browser test sees its session end.
    import requests

    page = requests.get(location, timeout=10)
    assert page.status_code == 200 and "Fel vid inloggning" not in page.text
