"""Staff single sign-on: mozilla-django-oidc's authorisation code flow (PKCE, state and
nonce are the library's, settings in config/settings/base.py), with the checks Vägen
adds and the user made from the claims at each sign-in.

The ID token must be signed RS256 by a key of the IdP's JWKS, be for this client
(``aud``), from the configured issuer (``iss``), not expired (``exp``) and carry the
nonce of this sign-in. The user is found by issuer + ``sub`` (never by e-mail), created
or updated from the claims, and given exactly the roles their groups map to
(signin.services.directory_roles_apply); a user whose groups map to nothing is refused
with a Swedish message and loses the roles they had.
"""

import logging
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from cases.middleware import SIGNIN_METHOD_SESSION_KEY
from signin import services
from signin.models import SignInEvent, SignInMethod, SsoIdentity

logger = logging.getLogger(__name__)

# Clock skew allowed between Vägen and the IdP when checking exp/iat/nbf.
LEEWAY_SECONDS = 30

REFUSED_NO_ROLE = _(
    "Ditt konto i kommunens katalog ger ingen behörighet i Vägen. Kontakta din chef eller "
    "systemförvaltaren om du behöver tillgång."
)
REFUSED_FAILED = _("Inloggningen med kommunens konto misslyckades. Försök igen.")


def sso_configured() -> bool:
    return bool(
        settings.VAGEN_OIDC_ISSUER
        and settings.OIDC_RP_CLIENT_ID
        and settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        and settings.OIDC_OP_TOKEN_ENDPOINT
        and settings.OIDC_OP_JWKS_ENDPOINT
    )


class VagenOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request, **kwargs):
        if not sso_configured() or request is None or "code" not in request.GET:
            return None  # a password sign-in, or SSO switched off
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as exc:
            # A tampered or foreign token, a wrong nonce: refused, logged without the
            # token's content (it may carry personal data).
            logger.warning("SSO-inloggning nekad: %s", exc.__class__.__name__)
            services.record_event(
                SignInEvent.Kind.REFUSED,
                request=request,
                method=SignInMethod.SSO,
                detail=str(exc)[:300],
            )
            messages.error(request, REFUSED_FAILED)
            return None

    def _verify_jws(self, payload, key):
        """The library checks the signature and algorithm; here also aud, iss, exp."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID-token: fel algoritm")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.VAGEN_OIDC_ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SuspiciousOperation("ID-token: utgånget") from exc
        except jwt.InvalidAudienceError as exc:
            raise SuspiciousOperation("ID-token: fel mottagare (aud)") from exc
        except jwt.InvalidIssuerError as exc:
            raise SuspiciousOperation("ID-token: fel utfärdare (iss)") from exc
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID-token: ogiltigt ({exc.__class__.__name__})") from exc

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # Kept for the userinfo check below: the userinfo must be about the same person.
        self._id_token_sub = payload.get("sub")
        return payload

    # --- The user from the claims ------------------------------------------------------

    def verify_claims(self, claims):
        if not claims.get("sub"):
            return False
        id_token_sub = getattr(self, "_id_token_sub", None)
        return id_token_sub is None or claims["sub"] == id_token_sub

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(
            sso_identity__issuer=settings.VAGEN_OIDC_ISSUER, sso_identity__subject=claims["sub"]
        )

    def _groups(self, claims) -> list[str]:
        value = claims.get(settings.VAGEN_OIDC_GROUPS_CLAIM) or []
        if isinstance(value, str):
            value = [value]
        return [str(group) for group in value]

    def _username(self, claims) -> str:
        wanted = str(
            claims.get(settings.VAGEN_OIDC_USERNAME_CLAIM)
            or claims.get(settings.VAGEN_OIDC_EMAIL_CLAIM)
            or f"sso-{claims['sub']}"
        )[:140]
        # A local account may have the same name: the SSO user then gets a suffix rather
        # than taking over that account.
        candidate, n = wanted, 1
        while self.UserModel.objects.filter(username=candidate).exists():
            n += 1
            candidate = f"{wanted}-{n}"
        return candidate

    def _copy_claims(self, user, claims):
        user.first_name = str(claims.get(settings.VAGEN_OIDC_GIVEN_NAME_CLAIM, ""))[:150]
        user.last_name = str(claims.get(settings.VAGEN_OIDC_FAMILY_NAME_CLAIM, ""))[:150]
        user.email = str(claims.get(settings.VAGEN_OIDC_EMAIL_CLAIM, ""))[:254]

    @transaction.atomic
    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        groups = self._groups(claims)
        users = list(self.filter_users_by_claims(claims))
        user = users[0] if users else None
        roles, _unit = services.roles_for_groups(groups)
        if user is not None:
            self._copy_claims(user, claims)
            user.save(update_fields=["first_name", "last_name", "email"])
            # Also when nothing maps: the roles they had go now (left the unit, left
            # the municipality's social services).
            services.directory_roles_apply(user, groups, request=self.request)
        elif roles:
            user = self.UserModel(username=self._username(claims))
            self._copy_claims(user, claims)
            user.set_unusable_password()  # SSO users never sign in with a password
            user.save()
            services.directory_roles_apply(user, groups, request=self.request)
        if user is not None:
            services.sso_identity_touch(
                user, issuer=settings.VAGEN_OIDC_ISSUER, subject=claims["sub"], groups=groups
            )
        if not roles or (user is not None and not user.is_active):
            services.record_event(
                SignInEvent.Kind.REFUSED,
                request=self.request,
                user=user,
                username="" if user else str(claims.get(settings.VAGEN_OIDC_USERNAME_CLAIM, "")),
                method=SignInMethod.SSO,
                detail=_("Ingen grupp ger behörighet i Vägen") if not roles else _("Inaktiverad"),
            )
            messages.error(self.request, REFUSED_NO_ROLE)
            return None
        return user


def provider_logout_url(request) -> str:
    """Where Vägen's logout sends the browser: for an SSO session the IdP's end-session
    endpoint (RP-initiated logout: the IdP session ends too, then back to the login
    page), for a local one straight to the login page."""
    login_url = absolutify(request, reverse("login"))
    endpoint = settings.VAGEN_OIDC_END_SESSION_ENDPOINT
    if request.session.get(SIGNIN_METHOD_SESSION_KEY) != SignInMethod.SSO or not endpoint:
        return reverse("login")
    params = {"client_id": settings.OIDC_RP_CLIENT_ID, "post_logout_redirect_uri": login_url}
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(params)}"


__all__ = ["VagenOIDCBackend", "provider_logout_url", "sso_configured", "SsoIdentity"]
