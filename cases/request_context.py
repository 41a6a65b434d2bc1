"""The current request's id, for log lines. Imported by settings' LOGGING, so it must
not import Django models or anything that needs the app registry."""

import contextvars
import logging

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


# Who is looking, for masking protected identities wherever a person is shown
# (cases.access_rules.viewer_may_see_identity). Holds the request – or any object with a
# ``user`` – set by ``ViewerMiddleware`` and by jobs that write files for a user. None
# is the system itself (a letter to the person, a management command).
current_viewer: contextvars.ContextVar[object | None] = contextvars.ContextVar(
    "viewer", default=None
)
