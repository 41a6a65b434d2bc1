"""Login, logout and the landing redirect to each role's start page."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.module_loading import import_string

from cases.forms import LoginForm
from cases.roles import START_PAGE_URL_NAMES


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The single sign-on button (app signin) when an IdP is configured; the local form
        # is offered unless SSO is the only way in (then only for break-glass accounts).
        context["sso_enabled"] = bool(
            settings.OIDC_RP_CLIENT_ID and settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        )
        context["sso_label"] = settings.VAGEN_OIDC_BUTTON_LABEL
        context["sso_only"] = settings.VAGEN_SSO_ONLY
        return context


class LogoutView(auth_views.LogoutView):
    """Ends Vägen's session; after an SSO sign-in the browser then goes to the IdP's
    end-session endpoint so the IdP's session ends too (OIDC_OP_LOGOUT_URL_METHOD)."""

    def post(self, request, *args, **kwargs):
        target = None
        if request.user.is_authenticated and settings.OIDC_OP_LOGOUT_URL_METHOD:
            target = import_string(settings.OIDC_OP_LOGOUT_URL_METHOD)(request)
        response = super().post(request, *args, **kwargs)
        return redirect(target) if target else response


@login_required
def home(request):
    """Send each user to their role's start page."""
    role = request.user.role
    if role is None:
        # A user with no role has nothing to see; an administrator must give them one.
        raise PermissionDenied
    return redirect(START_PAGE_URL_NAMES[role])
