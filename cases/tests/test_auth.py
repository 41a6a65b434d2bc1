"""Login, lockout, idle timeout and logout."""

import time

import pytest
from django.urls import reverse

from cases.middleware import IDLE_SESSION_KEY
from cases.roles import START_PAGE_URL_NAMES, Role
from cases.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=TEST_PASSWORD):
    """The real sign-in of a local account: the password, then the one-time code from
    the user's authenticator (issue 18; signin.testing)."""
    from signin.testing import log_in_with_second_factor

    return log_in_with_second_factor(client, username, password)


def test_login_page_is_swedish_and_labelled(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv"' in body
    assert 'for="id_username"' in body and "Användarnamn" in body
    assert 'for="id_password"' in body and "Lösenord" in body


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_lands_on_its_start_page(client, make_user, role):
    user = make_user(role)

    response = login(client, user.username)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(START_PAGE_URL_NAMES[role])
    body = response.content.decode()
    assert user.get_full_name() in body
    assert str(role.label) in body


def test_wrong_password_shows_swedish_error_and_keeps_username(client, caseworker):
    response = login(client, caseworker.username, "fel-lösenord")

    body = response.content.decode()
    assert "Fel användarnamn eller lösenord" in body
    assert f'value="{caseworker.username}"' in body
    assert "_auth_user_id" not in client.session


def test_lockout_after_repeated_failures_even_with_right_password(client, settings, caseworker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, caseworker.username, "fel-lösenord")

    response = login(client, caseworker.username)

    assert response.status_code == 429
    assert "spärrad" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, settings, caseworker):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, caseworker.username, "fel-lösenord")

    response = login(client, caseworker.username)

    assert response.redirect_chain[-1][0] == reverse("caseworker_start")


def test_lockout_is_per_user_not_for_colleagues(client, settings, make_user):
    locked = make_user(Role.CASEWORKER)
    colleague = make_user(Role.CASEWORKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, locked.username, "fel-lösenord")

    response = login(client, colleague.username)

    assert response.redirect_chain[-1][0] == reverse("caseworker_start")


def test_idle_session_is_logged_out_with_a_message(client, settings, caseworker):
    client.force_login(caseworker)
    session = client.session
    session[IDLE_SESSION_KEY] = int(time.time()) - settings.VAGEN_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()

    response = client.get(reverse("caseworker_start"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "utan aktivitet" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_active_session_within_the_limit_stays(client, settings, caseworker):
    client.force_login(caseworker)
    session = client.session
    session[IDLE_SESSION_KEY] = int(time.time()) - settings.VAGEN_IDLE_TIMEOUT_MINUTES * 60 + 30
    session.save()

    response = client.get(reverse("caseworker_start"))

    assert response.status_code == 200
    assert client.session[IDLE_SESSION_KEY] >= int(time.time()) - 2


def test_idle_timeout_is_configurable(client, settings, caseworker):
    settings.VAGEN_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(caseworker)
    session = client.session
    session[IDLE_SESSION_KEY] = int(time.time()) - 6 * 60
    session.save()

    response = client.get(reverse("caseworker_start"))

    assert response.status_code == 302


def test_idle_htmx_request_redirects_the_whole_page(client, settings, caseworker):
    client.force_login(caseworker)
    session = client.session
    session[IDLE_SESSION_KEY] = int(time.time()) - settings.VAGEN_IDLE_TIMEOUT_MINUTES * 60 - 5
    session.save()

    response = client.get(reverse("caseworker_start"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("login")


def test_logout_requires_post_and_ends_the_session(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("logout")).status_code == 405

    response = client.post(reverse("logout"), follow=True)

    assert "_auth_user_id" not in client.session
    assert response.redirect_chain[-1][0] == reverse("login")


def test_session_cookie_is_httponly_and_not_persistent_across_browser(client, caseworker):
    response = login(client, caseworker.username)
    cookie = response.client.cookies["vagen_session"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
