"""Login, logout and the landing redirect to each role's start page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from cases.forms import LoginForm
from cases.roles import START_PAGE_URL_NAMES


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    """Send each user to their role's start page."""
    role = request.user.role
    if role is None:
        # A user with no role has nothing to see; an administrator must give them one.
        raise PermissionDenied
    return redirect(START_PAGE_URL_NAMES[role])
