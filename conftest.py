"""Fixtures shared by every test package."""

import pytest

from cases.roles import Role
from cases.tests.factories import UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(code="nord", name="Nord")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="syd", name="Syd")


@pytest.fixture
def make_user(db, unit):
    """make_user(Role.CASEWORKER, unit=...) -> a saved user with that role."""

    def make(role: Role | None, **kwargs):
        kwargs.setdefault("unit", None if role == Role.ADMINISTRATOR else unit)
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def caseworker(make_user):
    return make_user(Role.CASEWORKER)


@pytest.fixture
def unit_manager(make_user):
    return make_user(Role.UNIT_MANAGER)


@pytest.fixture
def reception(make_user):
    return make_user(Role.RECEPTION)


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_factor(monkeypatch):
    """``client.force_login(user)`` stands for a completed sign-in (the tests where
    sign-in is not the subject): the session is marked verified with a real TOTP device
    of the user, as the second-factor page would leave it (signin.testing). Tests of the
    sign-in itself go through the real pages instead."""
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        from signin.testing import mark_session_verified

        session = self.session
        mark_session_verified(session, user)
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(scope="session")
def demo_idp(live_server, tmp_path_factory):
    """The demo IdP (a real OpenID provider, scripts/demo_idp) on a free port, for the
    whole session; Vägen's callback may be the test client's or the live server's."""
    from tests.oidc_idp import DemoIdP

    idp = DemoIdP(tmp_path_factory.mktemp("idp"), ["http://testserver", live_server.url])
    yield idp
    idp.stop()


@pytest.fixture
def sso(settings, demo_idp):
    """Vägen configured for the demo IdP (as the environment would configure it), with
    the IdP's directory back at its demo state."""
    for name, value in demo_idp.settings().items():
        setattr(settings, name, value)
    demo_idp.reset_users()
    yield demo_idp
    demo_idp.reset_users()
