"""The current request's id, for log lines. Imported by settings' LOGGING, so it must
not import Django models or anything that needs the app registry."""

import contextvars
import logging

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def _request_id(record: logging.LogRecord) -> str:
    """The id of the request being served – or, for the line Django writes about a
    response after the middleware has finished (404 "Not Found"), of the request the
    record carries."""
    current = current_request_id.get()
    if current != "-":
        return current
    request = getattr(record, "request", None)
    return str(getattr(request, "request_id", None) or getattr(record, "request_id", "-"))


def _user_id(record: logging.LogRecord) -> str:
    """The signed-in user's id (a number, never a name) – only if the request already
    loaded its user: a log filter must not query the database."""
    explicit = getattr(record, "user_id", None)
    if explicit is not None:
        return str(explicit)
    viewer = current_viewer.get()
    if viewer is None:
        return "-"
    user = viewer.__dict__.get("_cached_user") if hasattr(viewer, "__dict__") else None
    if user is None and not hasattr(viewer, "META"):
        user = getattr(viewer, "user", None)  # a job's viewer: an object with a user
    if user is None or not getattr(user, "is_authenticated", False):
        return "-"
    return str(user.pk)


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id(record)
        record.user_id = _user_id(record)
        return True


class ExpectedClientErrorFilter(logging.Filter):
    """On ``django.request``: a 4xx answer (403 for a role a user lacks, 404 from the
    permission gate, 400 for a broken form post) is expected, not a fault. Django logs a
    403 with the exception's traceback; that buries the real errors, so a 4xx is kept
    as one line – status, path and the request id – and only a 5xx keeps its
    traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id(record)
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


# Who is looking, for masking protected identities wherever a person is shown
# (cases.access_rules.viewer_may_see_identity). Holds the request – or any object with a
# ``user`` – set by ``ViewerMiddleware`` and by jobs that write files for a user. None
# is the system itself (a letter to the person, a management command).
current_viewer: contextvars.ContextVar[object | None] = contextvars.ContextVar(
    "viewer", default=None
)
