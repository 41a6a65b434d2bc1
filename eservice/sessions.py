"""The citizen's session: its own cookie (VAGEN_ESERVICE_COOKIE_NAME, path /e-tjanst/),
its own short idle timeout (VAGEN_ESERVICE_IDLE_TIMEOUT_MINUTES), stored as a hash in
``CitizenSession``. The citizen is never a staff ``User``: inside the e-service
``request.user`` is anonymous (a staff session in the same browser is not used there),
and outside it the citizen's cookie is not even sent (its path)."""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.utils import timezone

from cases.models import Person
from eservice.models import CitizenSession

PREFIX = "/e-tjanst/"
TOUCH_EVERY = timedelta(seconds=30)


def _cookie_name() -> str:
    return settings.VAGEN_ESERVICE_COOKIE_NAME


def citizen_session_start(
    response, *, personnummer: str, given_name: str = "", surname: str = ""
) -> CitizenSession:
    """Sign the citizen in on ``response``: a new random key (never reused), the person
    resolved by the asserted personnummer alone."""
    key = CitizenSession.new_key()
    session = CitizenSession.objects.create(
        key_hash=CitizenSession.hash_key(key),
        personnummer=personnummer,
        person=Person.objects.filter(personnummer=personnummer).first(),
        given_name=given_name[:100],
        surname=surname[:100],
    )
    response.set_cookie(
        _cookie_name(),
        key,
        path=PREFIX,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return session


def citizen_session_end(request, response) -> None:
    session = getattr(request, "citizen", None)
    if session is not None:
        CitizenSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
    response.delete_cookie(_cookie_name(), path=PREFIX, samesite="Lax")


class CitizenSessionMiddleware:
    """For /e-tjanst/ paths: ``request.citizen`` (or None) from the citizen's cookie and
    ``request.user`` anonymous. An idle session ends (``request.citizen_expired``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.citizen = None
        request.citizen_expired = False
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        request.user = AnonymousUser()
        language = activate_language(request)
        key = request.COOKIES.get(_cookie_name())
        if key:
            session = (
                CitizenSession.objects.select_related("person")
                .filter(key_hash=CitizenSession.hash_key(key), ended_at__isnull=True)
                .first()
            )
            now = timezone.now()
            idle = timedelta(minutes=settings.VAGEN_ESERVICE_IDLE_TIMEOUT_MINUTES)
            if session is not None and now - session.last_seen_at > idle:
                CitizenSession.objects.filter(pk=session.pk).update(ended_at=now)
                request.citizen_expired = True
            elif session is not None:
                if session.person is None:
                    # Registered by staff since sign-in: resolved by the number again.
                    session.person = Person.objects.filter(
                        personnummer=session.personnummer
                    ).first()
                if now - session.last_seen_at >= TOUCH_EVERY:
                    CitizenSession.objects.filter(pk=session.pk).update(last_seen_at=now)
                request.citizen = session
        response = self.get_response(request)
        response["Content-Language"] = language
        if key and request.citizen is None and not getattr(request, "citizen_started", False):
            response.delete_cookie(_cookie_name(), path=PREFIX, samesite="Lax")
        return response


def citizen_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "citizen", None) is None:
            url = "eservice:login"
            if request.citizen_expired:
                return redirect(f"{redirect_url(url)}?utloggad=1")
            return redirect(url)
        return view(request, *args, **kwargs)

    return wrapper


def redirect_url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def activate_language(request) -> str:
    """The e-service's language (sv, en, ar) from its own cookie; Swedish by default.
    Only inside the e-service: staff pages stay Swedish."""
    from django.utils import translation

    language = request.COOKIES.get(settings.VAGEN_ESERVICE_LANGUAGE_COOKIE, "sv")
    if language not in dict(settings.VAGEN_ESERVICE_LANGUAGES):
        language = "sv"
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language


# Sign-in rows kept for a day at most: an AuthnRequest is answered within minutes
# (views.AUTHN_REQUEST_LIFETIME_MINUTES) and a replayed answer to a deleted one finds no
# outstanding request and is refused all the same; a session row holds a personnummer and
# is of no use once ended or idle (the access log records what the citizen opened).
SIGN_IN_ROWS_KEPT = timedelta(days=1)


def clear_old_sign_ins(now=None) -> tuple[int, int]:
    """Delete AuthnRequests and ended or long-idle citizen sessions older than
    ``SIGN_IN_ROWS_KEPT`` (idempotent; Celery beat runs it nightly). Returns how many of
    each were deleted."""
    from eservice.models import SamlAuthnRequest

    cutoff = (now or timezone.now()) - SIGN_IN_ROWS_KEPT
    requests, _ = SamlAuthnRequest.objects.filter(created_at__lt=cutoff).delete()
    sessions, _ = CitizenSession.objects.filter(last_seen_at__lt=cutoff).delete()
    return requests, sessions
