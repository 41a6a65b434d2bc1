"""The second factor of a local sign-in (enrolment with a QR code rendered here, the
code page), the SSO entry point, and *Administration → Inloggning*."""

import base64

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from cases.middleware import SIGNIN_METHOD_SESSION_KEY
from cases.models import User
from cases.permissions import role_required
from cases.roles import Role
from signin import services
from signin.backends import sso_configured
from signin.forms import EnrolmentCodeForm, OneTimeCodeForm
from signin.models import GroupRoleMapping, SignInEvent, SignInMethod


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _already_complete(request) -> bool:
    method = request.session.get(SIGNIN_METHOD_SESSION_KEY)
    return method == SignInMethod.SSO or (
        method in (SignInMethod.TOTP, SignInMethod.RECOVERY) and request.user.is_verified()
    )


def _wrong_code(request, form):
    """A wrong code counts as a failed sign-in for django-axes (username + address, the
    same counter as wrong passwords): the fifth locks the account out here as well."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
    services.record_event(SignInEvent.Kind.SECOND_FACTOR_FAILED, request=request, user=request.user)
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(
        request, credentials
    ):
        return _locked_out(request)
    form.add_error(
        "code", _("Fel kod. Kontrollera att klockan i telefonen stämmer och försök igen.")
    )
    return None


def _locked_out(request):
    services.record_event(SignInEvent.Kind.LOCKED_OUT, request=request, user=request.user)
    logout(request)
    request.axes_locked_out = False  # answered here; the lockout page below says it
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)


@login_required
def second_factor(request):
    """The second step of a local sign-in: a code from the authenticator app, or a
    recovery code (each works once)."""
    if _already_complete(request):
        return redirect(_next_url(request))
    if services.confirmed_totp_device(request.user) is None:
        url = redirect("signin:enrol").url
        return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)
    credentials = {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            services.second_factor_completed(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _("Du loggade in med en reservkod. %(left)s reservkoder återstår.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        locked = _wrong_code(request, form)
        if locked is not None:
            return locked
    return render(request, "signin/second_factor.html", {"form": form, "next": _next_url(request)})


def _qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code, made here (segno): the secret never leaves
    the server for a QR service."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR-kod för autentiseringsappen"), dark="#000", light="#fff"
    )


@login_required
def enrol(request):
    """First local sign-in (or after an administrator's reset): the user adds Vägen to
    an authenticator app and proves it with one code. Never offered to a user who has a
    confirmed device – a password alone must not be enough to add another."""
    if request.session.get(SIGNIN_METHOD_SESSION_KEY) == SignInMethod.SSO:
        return redirect(_next_url(request))
    if services.confirmed_totp_device(request.user) is not None:
        return redirect("signin:second_factor")
    credentials = {settings.AXES_USERNAME_FORM_FIELD: request.user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return _locked_out(request)
    device = services.totp_enrolment_device(request.user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = services.totp_enrolment_confirm(device, request=request)
            services.second_factor_completed(request, device)
            return render(
                request,
                "signin/recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        locked = _wrong_code(request, form)
        if locked is not None:
            return locked
    secret_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "signin/enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            # segno's SVG: markup only (no script, no style attribute) – fits the CSP.
            "qr_svg": mark_safe(_qr_svg(device)),  # noqa: S308 – made here from our own data
            "secret_groups": [secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4)],
        },
    )


class SsoStartView(OIDCAuthenticationRequestView):
    """*Logga in med kommunens konto*: to the IdP with state, nonce and the PKCE
    challenge (mozilla-django-oidc); 404 where no IdP is configured."""

    def get(self, request):
        if not sso_configured():
            raise Http404
        return super().get(request)


@role_required(Role.ADMINISTRATOR)
def administration(request):
    """*Administration → Inloggning*: the group mapping, who signed in how and when,
    and the local accounts' second factor (reset)."""
    users = (
        User.objects.filter(is_active=True, sso_identity__isnull=True)
        .prefetch_related("groups")
        .order_by("username")
    )
    with_device = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    return render(
        request,
        "signin/administration.html",
        {
            "mappings": GroupRoleMapping.objects.select_related("unit"),
            "events": SignInEvent.objects.select_related("user", "actor")[:100],
            "local_users": [(user, user.pk in with_device) for user in users],
            "sso_configured": sso_configured(),
            "sso_only": settings.VAGEN_SSO_ONLY,
            "break_glass": settings.VAGEN_BREAK_GLASS_USERNAMES,
        },
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def second_factor_reset_view(request, pk):
    user = get_object_or_404(User, pk=pk)
    services.second_factor_reset(user, actor=request.user, request=request)
    messages.success(
        request,
        _(
            "Andra faktorn för %(user)s är nollställd. Användaren aktiverar en ny vid nästa "
            "inloggning."
        )
        % {"user": user.get_username()},
    )
    return redirect("signin:administration")
