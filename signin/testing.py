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
