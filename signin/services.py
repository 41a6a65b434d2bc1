"""Every write of the sign-in machinery: roles and unit from the directory groups, the
sign-in log, the session's sign-in facts, the second factor's devices.

Roles come only from the mapping (``GroupRoleMapping``): an SSO user holds exactly the
roles their groups map to, in the unit the mapping names, and loses them at the next
sign-in when the groups no longer map – their open work then goes back to the unit
(cases.services.casework.caseworker_work_release). Lag (2001:454) 10 § and OSL 26 kap.:
access to social services' data follows the person's current tasks.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.middleware import SIGNED_IN_AT_SESSION_KEY, SIGNIN_METHOD_SESSION_KEY
from cases.models import Unit, User
from cases.roles import ROLE_PRECEDENCE, Role
from signin.models import GroupRoleMapping, SignInEvent, SignInMethod, SsoIdentity

OIDC_BACKEND = "signin.backends.VagenOIDCBackend"


class NothingMaps(Exception):
    """None of the user's directory groups gives a role in Vägen."""


def record_event(
    kind: str,
    *,
    request=None,
    user: User | None = None,
    username: str = "",
    method: str = "",
    actor: User | None = None,
    detail: str = "",
) -> SignInEvent:
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        method=method,
        actor=actor,
        detail=detail[:300],
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )


# --- The session ---------------------------------------------------------------------


def on_user_logged_in(sender, request, user, **kwargs) -> None:
    """Every sign-in (Django's login(), which has just rotated the session key): when
    and how. A password sign-in is "local" until the second factor is given."""
    if request is None or not hasattr(request, "session"):
        return
    method = (
        SignInMethod.SSO
        if getattr(user, "backend", "") == OIDC_BACKEND
        else (SignInMethod.PASSWORD)
    )
    request.session[SIGNED_IN_AT_SESSION_KEY] = int(time.time())
    request.session[SIGNIN_METHOD_SESSION_KEY] = method.value
    if method == SignInMethod.SSO:
        record_event(SignInEvent.Kind.SIGNED_IN, request=request, user=user, method=method)


def on_user_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        method = request.session.get(SIGNIN_METHOD_SESSION_KEY, "") if request else ""
        record_event(SignInEvent.Kind.SIGNED_OUT, request=request, user=user, method=method)


def second_factor_completed(request, device) -> None:
    """The local sign-in is complete: django-otp marks the session verified, the session
    key is rotated again (a key seen before the second factor is worth nothing after
    it), and the lockout attempts of this user and address are cleared."""
    from axes.handlers.proxy import AxesProxyHandler
    from django_otp import login as otp_login

    otp_login(request, device)
    request.session.cycle_key()
    method = SignInMethod.RECOVERY if isinstance(device, StaticDevice) else SignInMethod.TOTP
    request.session[SIGNIN_METHOD_SESSION_KEY] = method.value
    AxesProxyHandler.reset_attempts(
        username=request.user.get_username(), ip_address=getattr(request, "axes_ip_address", None)
    )
    record_event(SignInEvent.Kind.SIGNED_IN, request=request, user=request.user, method=method)


def is_break_glass(user: User) -> bool:
    return user.get_username() in settings.VAGEN_BREAK_GLASS_USERNAMES


def local_sign_in_allowed(user_or_username) -> bool:
    """With VAGEN_SSO_ONLY the local form admits only the break-glass accounts."""
    if not settings.VAGEN_SSO_ONLY:
        return True
    name = user_or_username if isinstance(user_or_username, str) else user_or_username.username
    return name in settings.VAGEN_BREAK_GLASS_USERNAMES


# --- Roles from the directory ----------------------------------------------------------


def mappings_for_groups(groups: list[str]) -> list[GroupRoleMapping]:
    """The active mappings of these groups, best role first (cases.roles precedence)."""
    found = list(
        GroupRoleMapping.objects.filter(group__in=groups, is_active=True)
        .filter(Q(unit__isnull=True) | Q(unit__is_active=True))
        .select_related("unit")
    )
    order = {role.value: index for index, role in enumerate(ROLE_PRECEDENCE)}
    return sorted(found, key=lambda mapping: (order[mapping.role], mapping.pk))


def roles_for_groups(groups: list[str]) -> tuple[set[Role], Unit | None]:
    """The roles and the one unit the groups give. A member of staff belongs to one
    unit: the unit of the best mapped role with a unit wins, and roles mapped to other
    units are not given (the administrator should fix such groups; the log says so)."""
    mappings = mappings_for_groups(groups)
    unit = next((mapping.unit for mapping in mappings if mapping.unit_id), None)
    roles = {
        Role(mapping.role)
        for mapping in mappings
        if mapping.unit_id is None or mapping.unit_id == (unit.pk if unit else None)
    }
    return roles, unit


@transaction.atomic
def directory_roles_apply(user: User, groups: list[str], *, request=None) -> set[Role]:
    """Give ``user`` exactly the roles their groups map to and move them to the mapped
    unit. Work the user may no longer do is released (caseworker_work_release). Returns
    the roles now held; an empty set means the sign-in is refused."""
    from cases.services.casework import caseworker_work_release

    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    roles, unit = roles_for_groups(groups)
    before = {
        Role(name)
        for name in user.groups.filter(name__in=Role.values).values_list("name", flat=True)
    }
    old_unit = user.unit
    role_groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    user.groups.remove(*[role_groups[role.value] for role in before - roles])
    user.groups.add(*[role_groups[role.value] for role in roles - before])
    user.unit = unit
    user.save(update_fields=["unit"])
    user.__dict__.pop("role_names", None)
    still_caseworker_in = unit if Role.CASEWORKER in roles else None
    released = caseworker_work_release(user, actor=user, keep_unit=still_caseworker_in)
    if before != roles or old_unit != unit or released:
        record_event(
            SignInEvent.Kind.ROLES_CHANGED,
            request=request,
            user=user,
            method=SignInMethod.SSO,
            detail=_(
                "Roller: %(before)s → %(after)s; enhet: %(old)s → %(new)s; %(n)s ärenden "
                "utan handläggare"
            )
            % {
                "before": ", ".join(sorted(str(r.label) for r in before)) or "–",
                "after": ", ".join(sorted(str(r.label) for r in roles)) or "–",
                "old": old_unit or "–",
                "new": unit or "–",
                "n": released,
            },
        )
    return roles


def sso_identity_touch(user: User, *, issuer: str, subject: str, groups: list[str]) -> None:
    SsoIdentity.objects.update_or_create(
        issuer=issuer,
        subject=subject,
        defaults={"user": user, "groups": groups, "last_signed_in_at": timezone.now()},
    )


# --- The second factor -----------------------------------------------------------------


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user; kept until confirmed, so a
    reload of the page shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Vägen", confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(device: TOTPDevice, *, request=None) -> list[str]:
    """The first correct code confirms the device; fresh recovery codes (django-otp's
    static device, each usable once) replace any old ones. Returns the codes, to be
    shown once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_replace(device.user)
    record_event(SignInEvent.Kind.DEVICE_ENROLLED, request=request, user=device.user)
    return codes


def recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Reservkoder", confirmed=True)
    codes = [
        f"{secrets.randbelow(10**8):08d}" for _index in range(settings.VAGEN_RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


@transaction.atomic
def second_factor_reset(user: User, *, actor: User, request=None) -> None:
    """An administrator resets a user's second factor (lost phone): every TOTP and
    recovery device goes; the user enrols again at the next sign-in. Logged."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(SignInEvent.Kind.DEVICE_RESET, request=request, user=user, actor=actor)


# --- Permissions ---------------------------------------------------------------------


def sync_admin_permissions(**kwargs) -> None:
    """Administrators keep the group mapping (Administration → Inloggning) and read the
    sign-in log; idempotent, after every migrate."""
    group, _created = Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)
    perms = Permission.objects.filter(
        Q(content_type__app_label="signin", content_type__model="grouprolemapping")
        | Q(
            content_type__app_label="signin",
            content_type__model__in=["signinevent", "ssoidentity"],
            codename__startswith="view_",
        )
    )
    group.permissions.add(*perms)
