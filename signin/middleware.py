"""A local sign-in is finished only with the second factor (django-otp).

A session signed in with the password alone reaches only the second-factor pages and
logout; everything else (case pages, the admin) redirects there. A session signed in
through the IdP ("sso") carries the IdP's authentication. With VAGEN_SSO_ONLY a local
session of anyone but a break-glass account is ended.
"""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.middleware import SIGNIN_METHOD_SESSION_KEY
from signin.models import SignInMethod

# Reachable with the password alone (names of URL patterns).
OPEN_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "signin:second_factor",
    "signin:enrol",
    "oidc_authentication_init",
    "oidc_authentication_callback",
}


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            from signin.services import local_sign_in_allowed

            method = request.session.get(SIGNIN_METHOD_SESSION_KEY)
            if method != SignInMethod.SSO and not local_sign_in_allowed(user):
                logout(request)
                messages.error(request, _("Logga in med kommunens konto."))
                return redirect("login")
            verified = method in (SignInMethod.TOTP, SignInMethod.RECOVERY) and user.is_verified()
            if method != SignInMethod.SSO and not verified:
                match = self._url_name(request)
                if match not in OPEN_BEFORE_SECOND_FACTOR and not request.path.startswith(
                    "/static/"
                ):
                    target = reverse("signin:second_factor")
                    if request.method == "GET" and not getattr(request, "htmx", False):
                        target = f"{target}?{urlencode({'next': request.get_full_path()})}"
                    if getattr(request, "htmx", False):
                        response = HttpResponse(status=204)
                        response["HX-Redirect"] = target
                        return response
                    return redirect(target)
        response = self.get_response(request)
        self._allow_logout_at_idp(request, response)
        return response

    @staticmethod
    def _allow_logout_at_idp(request, response) -> None:
        """The logout button posts to Vägen, which redirects to the IdP's end-session
        endpoint; browsers apply the page's CSP form-action to that redirect, so an SSO
        session's pages name the IdP's origin there too (django-csp's update)."""
        from django.conf import settings

        endpoint = settings.VAGEN_OIDC_END_SESSION_ENDPOINT
        session = getattr(request, "session", None)
        if not endpoint or session is None:
            return
        if session.get(SIGNIN_METHOD_SESSION_KEY) == SignInMethod.SSO:
            parts = urlsplit(endpoint)
            response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}

    @staticmethod
    def _url_name(request) -> str:
        from django.urls import Resolver404, resolve

        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return ""
