"""Test helpers (imported by tests only): a session that finished a local sign-in with
its second factor, exactly as signin.views.second_factor leaves it."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.middleware import SIGNIN_METHOD_SESSION_KEY
from signin.models import SignInMethod


def mark_session_verified(session, user) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SIGNIN_METHOD_SESSION_KEY] = SignInMethod.TOTP.value


def totp_code(device: TOTPDevice, offset: int = 0) -> str:
    """The code the user's authenticator app shows now (``offset`` steps later)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{totp.token():0{device.digits}d}"


def log_in_with_second_factor(client, username: str, password: str, **extra):
    """Through the real pages: the password, then – if it was right – the code of the
    user's (created if missing) TOTP device. Returns the last response (followed)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    user = get_user_model().objects.filter(username=username).first()
    if user is not None and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    response = client.post(
        reverse("login"), {"username": username, "password": password, **extra}, follow=True
    )
    chain = response.redirect_chain
    if user is not None and chain and chain[-1][0].startswith(reverse("signin:second_factor")):
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        response = client.post(chain[-1][0], {"code": totp_code(device)}, follow=True)
    return response
