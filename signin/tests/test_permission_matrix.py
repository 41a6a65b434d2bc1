"""Every URL of the signin app against every kind of user (pattern:
cases/tests/test_permission_matrix). The sign-in steps answer anyone signed in (a
finished sign-in is sent on); the administration is for administrators only."""

import pytest
from django.urls import reverse

from cases.roles import Role
from cases.tests.matrix import FORBIDDEN, LOGIN, OK, RELATIONS, STAFF, expect, outcomes
from signin import urls

SIGN_IN_STEP = expect(dict.fromkeys(STAFF, OK))
ADMIN_PAGE = expect(dict.fromkeys(STAFF, FORBIDDEN), administrator=OK)

# url name -> (method, args over the world, expectations, POST data)
ENTRIES = {
    "second_factor": ("get", None, SIGN_IN_STEP, None),
    "enrol": ("get", None, SIGN_IN_STEP, None),
    "administration": ("get", None, ADMIN_PAGE, None),
    "second_factor_reset": ("post", lambda w: [w["users"]["own"].pk], ADMIN_PAGE, {}),
}


def test_every_signin_url_has_an_entry():
    missing = {p.name for p in urls.urlpatterns if p.name} - set(ENTRIES)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


@pytest.fixture
def world(db, make_user, other_unit):
    users = {
        "own": make_user(Role.CASEWORKER),
        "colleague": make_user(Role.CASEWORKER),
        "other_unit": make_user(Role.CASEWORKER, unit=other_unit),
        "manager": make_user(Role.UNIT_MANAGER),
        "other_manager": make_user(Role.UNIT_MANAGER, unit=other_unit),
        "reception": make_user(Role.RECEPTION),
        "administrator": make_user(Role.ADMINISTRATOR),
        "deactivated": make_user(Role.CASEWORKER),
    }
    return {"users": users}


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_signin_permission_matrix(client, world, name):
    method, args, expected, data = ENTRIES[name]
    url = reverse(f"signin:{name}", args=args(world) if args else None)
    assert outcomes(client, world["users"], url, method, data) == expected


def test_sso_start_is_404_without_an_idp_and_public_with_one(client, db, settings):
    settings.VAGEN_OIDC_ISSUER = ""
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert RELATIONS and LOGIN  # the matrix vocabulary is the shared one
