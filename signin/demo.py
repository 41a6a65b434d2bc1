"""Demo data for sign-in (`make run`, browser tests): the group mappings of the demo
IdP's groups (scripts/demo_idp/users.json) and a TOTP device for each local demo user
with a published secret, so the README can say how to get their codes. Never in
production (VAGEN_DEMO_DATA_ALLOWED)."""

import hashlib

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.demo import DEMO_USERS
from cases.models import Unit, User
from cases.roles import Role
from signin.models import GroupRoleMapping

DEMO_GROUP_MAPPINGS = (
    ("vagen-handlaggare-nord", Role.CASEWORKER, "nord"),
    ("vagen-handlaggare-syd", Role.CASEWORKER, "syd"),
    ("vagen-enhetschef-nord", Role.UNIT_MANAGER, "nord"),
    ("vagen-reception-nord", Role.RECEPTION, "nord"),
    ("vagen-administratorer", Role.ADMINISTRATOR, None),
)


def demo_totp_key(username: str) -> str:
    """A demo user's TOTP key (hex): derived from the name, published by design."""
    return hashlib.sha256(f"vagen-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_totp_code(username: str, *, step_offset: int = 0) -> str:
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    # step_offset: a later time step (within the device's tolerance).
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + step_offset)
    return f"{totp.token():0{device.digits}d}"


def load_demo_signin() -> None:
    if not settings.VAGEN_DEMO_DATA_ALLOWED:
        raise ImproperlyConfigured("Demodata får inte läsas in här (VAGEN_DEMO_DATA_ALLOWED).")
    for group, role, unit_code in DEMO_GROUP_MAPPINGS:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        GroupRoleMapping.objects.update_or_create(
            group=group, defaults={"role": role.value, "unit": unit, "is_active": True}
        )
    for spec in DEMO_USERS:
        user = User.objects.get(username=spec.username)
        TOTPDevice.objects.update_or_create(
            user=user,
            name="Demo",
            defaults={"key": demo_totp_key(spec.username), "confirmed": True},
        )
