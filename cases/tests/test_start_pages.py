"""Each role's start page, and the role gate in front of it."""

import pytest
from django.urls import reverse

from cases.roles import START_PAGE_URL_NAMES, Role

pytestmark = pytest.mark.django_db

START_PAGES = list(START_PAGE_URL_NAMES.items())


@pytest.mark.parametrize(("page_role", "url_name"), START_PAGES)
@pytest.mark.parametrize("user_role", list(Role))
def test_start_pages_only_for_their_role(client, make_user, page_role, url_name, user_role):
    client.force_login(make_user(user_role))

    response = client.get(reverse(url_name))

    assert response.status_code == (200 if user_role == page_role else 403)


@pytest.mark.parametrize("url_name", [*START_PAGE_URL_NAMES.values(), "unit_access_log"])
def test_anonymous_is_sent_to_login(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_forbidden_page_is_swedish(client, reception):
    client.force_login(reception)

    response = client.get(reverse("administrator_start"))

    assert response.status_code == 403
    assert "behörighet" in response.content.decode()


def test_user_without_role_gets_403_not_a_start_page(client, make_user):
    client.force_login(make_user(None))

    assert client.get(reverse("home")).status_code == 403


def test_missing_page_is_swedish_404(client, caseworker):
    client.force_login(caseworker)

    response = client.get("/finns-inte/")

    assert response.status_code == 404
    assert "hittades inte" in response.content.decode()


def test_header_shows_name_role_and_unit(client, caseworker):
    client.force_login(caseworker)

    body = client.get(reverse("caseworker_start")).content.decode()

    assert caseworker.get_full_name() in body
    assert "Handläggare" in body
    assert caseworker.unit.name in body
    assert 'href="#innehall"' in body  # skip link


def test_unit_manager_sees_own_unit_staff_only(client, unit_manager, make_user, other_unit):
    colleague = make_user(Role.CASEWORKER)
    stranger = make_user(Role.CASEWORKER, unit=other_unit)
    client.force_login(unit_manager)

    body = client.get(reverse("unit_manager_start")).content.decode()

    assert colleague.get_full_name() in body
    assert stranger.get_full_name() not in body


def test_administrator_page_counts_units_roles(client, administrator, make_user, other_unit):
    make_user(Role.CASEWORKER)
    make_user(Role.CASEWORKER, unit=other_unit)
    client.force_login(administrator)

    response = client.get(reverse("administrator_start"))

    assert response.status_code == 200
    units = {u.code: u for u in response.context["units"]}
    assert units["nord"].n_caseworker == 1
    assert units["syd"].n_caseworker == 1
