"""Writing the access log: the one helper (``record_access``) and the decorator
(``logs_access``) that every view showing person or case data uses.

The decorator records the outcome of the view: a view that raises Http404 or
PermissionDenied (which is what ``get_case_for_user`` does for "missing" and "not
allowed" alike) is logged as denied, everything else as allowed. No personal data is
written: subjects are identified by type and database id only.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from cases.models import AccessLog, Unit

# A view that knows which unit its subject belongs to sets this attribute on the
# request, so unit managers see access to their unit's cases by staff of other units.
SUBJECT_UNIT_ATTR = "access_subject_unit"


def record_access(
    request: HttpRequest,
    *,
    subject_type: str,
    subject_id: object = "",
    subject_unit: Unit | None = None,
    allowed: bool = True,
) -> AccessLog:
    user = request.user if request.user.is_authenticated else None
    role = user.role if user is not None else None
    match = getattr(request, "resolver_match", None)
    return AccessLog.objects.create(
        user=user,
        username=user.get_username() if user is not None else "",
        role=role.value if role is not None else "",
        unit_id=user.unit_id if user is not None else None,
        subject_type=subject_type,
        subject_id=str(subject_id),
        subject_unit=subject_unit,
        view_name=(match.view_name if match else "")[:120],
        method=request.method or "",
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED,
        request_id=getattr(request, "request_id", ""),
    )


def logs_access(subject_type: str, *, id_kwarg: str | None = "pk") -> Callable:
    """Decorate a view that shows ``subject_type`` data; the subject id is taken from
    the URL keyword ``id_kwarg``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                # Nothing about a person or case is shown, or denied, to anonymous users:
                # they log in first (and the attempt is not a data access to log).
                return redirect_to_login(request.get_full_path())
            subject_id = kwargs.get(id_kwarg, "") if id_kwarg else ""
            try:
                response = view(request, *args, **kwargs)
            except (Http404, PermissionDenied):
                record_access(
                    request, subject_type=subject_type, subject_id=subject_id, allowed=False
                )
                raise
            record_access(
                request,
                subject_type=subject_type,
                subject_id=subject_id,
                subject_unit=getattr(request, SUBJECT_UNIT_ATTR, None),
                allowed=response.status_code < 400,
            )
            return response

        return wrapper

    return decorator
