"""Local accounts: the password is only the first step; TOTP (django-otp) or a recovery
code finishes the sign-in; five wrong codes lock out (django-axes); administrators reset
a device (logged); VAGEN_SSO_ONLY admits only break-glass accounts; the longest session
holds whichever way one signed in. Through the real pages – no force_login here."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.middleware import SIGNED_IN_AT_SESSION_KEY, SIGNIN_METHOD_SESSION_KEY
from cases.models import AccessLog
from cases.roles import Role
from signin.models import SignInEvent

PASSWORD = "ett-langt-losenord-42"


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def local_user(make_user):
    user = make_user(Role.CASEWORKER, username="lokal.handlaggare")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def device(local_user):
    return TOTPDevice.objects.create(user=local_user, name="App", confirmed=True)


def password_step(client, username="lokal.handlaggare", password=PASSWORD, next_url=""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def test_the_password_alone_reaches_nothing_but_the_code_page(client, local_user, device):
    response = password_step(client)
    assert response.status_code == 302
    assert client.session[SIGNIN_METHOD_SESSION_KEY] == "local"
    for url in (reverse("caseworker_start"), reverse("case_list"), reverse("admin:index")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("signin:second_factor"))
    # An htmx request is sent there as a whole page.
    response = client.get(reverse("unread_count"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("signin:second_factor"))
    # With a device there is no way to enrol another with the password alone.
    assert client.get(reverse("signin:enrol"))["Location"] == reverse("signin:second_factor")


def test_a_right_code_finishes_the_sign_in_with_a_new_session_key(client, local_user, device):
    password_step(client, next_url=reverse("case_list"))
    key_after_password = client.session.session_key
    response = client.post(
        reverse("signin:second_factor"), {"code": code_for(device), "next": reverse("case_list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("case_list")
    assert client.session.session_key != key_after_password
    assert client.session[SIGNIN_METHOD_SESSION_KEY] == "local_totp"
    assert client.get(reverse("caseworker_start")).status_code == 200
    assert AccessLog.objects.filter(user=local_user).latest("pk").signin_method == "local_totp"
    assert SignInEvent.objects.filter(user=local_user, kind="signed_in", method="local_totp")


def test_the_next_address_must_be_on_this_site(client, local_user, device):
    password_step(client)
    response = client.post(
        reverse("signin:second_factor"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_enrolment_shows_a_local_qr_code_and_gives_recovery_codes(client, local_user):
    password_step(client)
    response = client.get(reverse("signin:second_factor"))
    assert response["Location"] == reverse("signin:enrol")
    page = client.get(reverse("signin:enrol"))
    html = page.content.decode()
    assert "<svg" in html and "QR-kod för autentiseringsappen" in html
    assert "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )  # no external image or service
    pending = TOTPDevice.objects.get(user=local_user, confirmed=False)
    # A reload shows the same device (same QR code), not a new one.
    client.get(reverse("signin:enrol"))
    assert TOTPDevice.objects.filter(user=local_user).count() == 1

    wrong = client.post(reverse("signin:enrol"), {"code": "000000"})
    assert "Fel kod" in wrong.content.decode()

    # django-otp throttles a device for a second after a wrong code.
    with time_machine.travel(timezone.now() + timedelta(seconds=3), tick=False):
        done = client.post(reverse("signin:enrol"), {"code": code_for(pending)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(pk=pending.pk).confirmed
    assert client.session[SIGNIN_METHOD_SESSION_KEY] == "local_totp"
    assert client.get(reverse("caseworker_start")).status_code == 200
    assert SignInEvent.objects.filter(user=local_user, kind="device_enrolled").exists()


def test_a_recovery_code_works_once(client, local_user, device):
    from signin.services import recovery_codes_replace

    codes = recovery_codes_replace(local_user)
    password_step(client)
    response = client.post(reverse("signin:second_factor"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.session[SIGNIN_METHOD_SESSION_KEY] == "local_recovery"
    assert StaticToken.objects.filter(device__user=local_user).count() == 9
    client.logout()
    password_step(client)
    again = client.post(reverse("signin:second_factor"), {"code": codes[0]})
    assert again.status_code == 200 and "Fel kod" in again.content.decode()


def test_five_wrong_codes_lock_out_and_the_password_then_fails_too(client, local_user, device):
    password_step(client)
    for attempt in range(4):
        response = client.post(reverse("signin:second_factor"), {"code": "000000"})
        assert response.status_code == 200, attempt
        assert "Fel kod" in response.content.decode()
    response = client.post(reverse("signin:second_factor"), {"code": "000000"})
    assert response.status_code == 429
    assert "tillfälligt spärrad" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Even the right password and code do not help now.
    response = password_step(client)
    assert response.status_code == 429
    assert SignInEvent.objects.filter(user=local_user, kind="locked_out").exists()


def test_a_correct_password_does_not_wipe_the_wrong_codes(client, local_user, device):
    password_step(client)
    for _attempt in range(3):
        client.post(reverse("signin:second_factor"), {"code": "000000"})
    client.logout()
    password_step(client)  # the password is right: the three failures still count
    client.post(reverse("signin:second_factor"), {"code": "000000"})
    response = client.post(reverse("signin:second_factor"), {"code": "000000"})
    assert response.status_code == 429


def test_an_administrator_resets_a_device_and_it_is_logged(
    client, local_user, device, administrator
):
    client.force_login(administrator)
    page = client.get(reverse("signin:administration")).content.decode()
    assert "lokal.handlaggare" in page and "Nollställ andra faktorn" in page
    response = client.post(reverse("signin:second_factor_reset", args=[local_user.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=local_user).exists()
    event = SignInEvent.objects.get(kind="device_reset")
    assert event.user == local_user and event.actor == administrator
    client.logout()
    # The next sign-in enrols again.
    password_step(client)
    assert client.get(reverse("signin:second_factor"))["Location"] == reverse("signin:enrol")


def test_a_caseworker_cannot_reset_a_device(client, local_user, device, caseworker):
    client.force_login(caseworker)
    assert (
        client.post(reverse("signin:second_factor_reset", args=[local_user.pk])).status_code == 403
    )
    assert TOTPDevice.objects.filter(user=local_user).exists()


def test_sso_only_refuses_local_accounts_except_break_glass(
    client, settings, local_user, device, administrator
):
    settings.VAGEN_SSO_ONLY = True
    settings.VAGEN_BREAK_GLASS_USERNAMES = [administrator.username]
    response = password_step(client)
    assert response.status_code == 200
    assert "Logga in med kommunens konto" in response.content.decode()
    assert "_auth_user_id" not in client.session

    administrator.set_password(PASSWORD)
    administrator.save()
    admin_device = TOTPDevice.objects.create(user=administrator, name="App", confirmed=True)
    password_step(client, username=administrator.username)
    client.post(reverse("signin:second_factor"), {"code": code_for(admin_device)})
    assert client.get(reverse("administrator_start")).status_code == 200


def test_a_live_local_session_ends_when_sso_becomes_the_only_way(client, settings, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("caseworker_start")).status_code == 200
    settings.VAGEN_SSO_ONLY = True
    response = client.get(reverse("caseworker_start"))
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_the_longest_session_ends_however_active_the_user_is(client, settings, caseworker):
    client.force_login(caseworker)
    session = client.session
    assert session[SIGNED_IN_AT_SESSION_KEY] <= int(time.time())
    session[SIGNED_IN_AT_SESSION_KEY] = int(
        (timezone.now() - timedelta(seconds=settings.VAGEN_MAX_SESSION_SECONDS + 5)).timestamp()
    )
    session.save()
    response = client.get(reverse("caseworker_start"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
