"""Request id (for logs and the access log), the idle timeout of sessions, and the
privacy headers every page and file carries."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from cases.request_context import current_request_id, current_viewer

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")

IDLE_SESSION_KEY = "vagen_last_activity"
IDLE_RESOLUTION_SECONDS = 60
# Written at every sign-in, whichever way (signin.services.on_user_logged_in): when the
# session began (the longest session counts from it) and how the user signed in (shown
# in the access log, cases.access.record_access).
SIGNED_IN_AT_SESSION_KEY = "vagen_signed_in_at"
SIGNIN_METHOD_SESSION_KEY = "vagen_signin_method"

logger = logging.getLogger("django.request")


class PrivacyHeadersMiddleware:
    """``Cache-Control: no-store`` and ``Permissions-Policy`` on every response that
    reaches Django's views.

    Case pages, person pages, letter PDFs, exports and payment files all hold personal
    data covered by OSL 26 kap. 1 §: none of them may stay in a browser's cache or a
    proxy's, where the next user of a shared computer could find them. Rather than
    marking each view (and forgetting one), every response is ``no-store``; the only
    responses that may be cached are static files, which whitenoise serves above this
    middleware and so never reach it. The login page and error pages are no-store too –
    they carry a CSRF token and cost nothing to render again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", settings.VAGEN_PERMISSIONS_POLICY)
        return response


class RequestIdMiddleware:
    """Give each request an id: the proxy's X-Request-ID if well-formed, else a new one.
    It is echoed in the response, written to every log line and to the access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class ViewerMiddleware:
    """Make the signed-in user the viewer for this request, so a protected identity is
    masked wherever a person is rendered (``Person.full_name``) unless the user holds
    the grant. After AuthenticationMiddleware; ``request.user`` stays lazy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_viewer.set(request)
        try:
            return self.get_response(request)
        finally:
            current_viewer.reset(token)


class IdleTimeoutMiddleware:
    """Log a signed-in user out after VAGEN_IDLE_TIMEOUT_MINUTES without a request, and
    after VAGEN_MAX_SESSION_SECONDS since the sign-in however active they were (SSO and
    local sign-ins alike).

    The last activity is kept in the session as a Unix timestamp; an idle session is
    ended and the user is sent to the login page with a Swedish explanation (an htmx
    request gets an HX-Redirect so the whole page goes, not a fragment).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(IDLE_SESSION_KEY)
            limit = settings.VAGEN_IDLE_TIMEOUT_MINUTES * 60
            signed_in_at = request.session.get(SIGNED_IN_AT_SESSION_KEY)
            too_long = (
                signed_in_at is not None
                and now - int(signed_in_at) > settings.VAGEN_MAX_SESSION_SECONDS
            )
            if too_long or (last is not None and now - int(last) > limit):
                logout(request)
                if too_long:
                    messages.info(
                        request,
                        _("Du har loggats ut: en inloggning gäller i högst %(hours)s timmar.")
                        % {"hours": round(settings.VAGEN_MAX_SESSION_SECONDS / 3600, 1)},
                    )
                else:
                    messages.info(
                        request,
                        _("Du har loggats ut efter %(minutes)s minuter utan aktivitet.")
                        % {"minutes": settings.VAGEN_IDLE_TIMEOUT_MINUTES},
                    )
                if getattr(request, "htmx", False):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
                    return response
                return redirect_to_login(request.get_full_path())
            # Written at most once a minute: a session save is a database write, and a
            # live preview posts on every keystroke (on SQLite each write takes the lock).
            if last is None or now - int(last) >= IDLE_RESOLUTION_SECONDS:
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


class SwedishErrorPagesMiddleware:
    """With DEBUG on (`DJANGO_DEBUG=1 make run`): the person still sees the Swedish 404
    and 500 pages instead of Django's English technical pages; the developer finds the
    traceback in the console log. Not installed when DEBUG is off (Django's handlers
    render the same templates then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            # An address that matches no URL never reaches a view (nor process_exception):
            # Django answers it with its technical 404 page when DEBUG is on.
            from django.shortcuts import render

            return render(request, "404.html", status=404)
        return response

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.shortcuts import render

        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        if isinstance(exception, PermissionDenied):
            return None  # Django renders 403.html with DEBUG on too
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return render(request, "500.html", status=500)
