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

# subject type -> (model label, path to the unit id): how ``logs_access`` finds the
# owning unit of a subject by id, for allowed and denied reads alike. Plug-ins register
# their subject types (``register_subject_unit``) from their AppConfig.ready.
_SUBJECT_UNITS: dict[str, tuple[str, str]] = {
    "case": ("cases.Case", "unit_id"),
    "person": ("cases.Person", "unit_id"),
    "first_contact": ("cases.FirstContact", "unit_id"),
    "decision": ("cases.Decision", "case__unit_id"),
    "appeal": ("cases.Appeal", "decision__case__unit_id"),
    "payment": ("cases.Payment", "decision__case__unit_id"),
    "supplement": ("cases.SupplementRequest", "application__case__unit_id"),
    "recovery": ("cases.Recovery", "case__unit_id"),
}


def register_subject_unit(subject_type: str, model_label: str, unit_path: str) -> None:
    _SUBJECT_UNITS[subject_type] = (model_label, unit_path)


def subject_model_labels() -> dict[str, str]:
    """subject type -> model label, for every registered subject type (gallring removes
    the log rows about subjects that no longer exist once the log's retention is over)."""
    return {subject_type: entry[0] for subject_type, entry in _SUBJECT_UNITS.items()}


def subject_unit_id(subject_type: str, subject_id: object) -> int | None:
    """The unit that owns a subject, or None (unknown type, missing row, bad id). Read
    only for the log – never shown, never used to decide access."""
    from django.apps import apps

    entry = _SUBJECT_UNITS.get(subject_type)
    if entry is None:
        return None
    try:
        pk = int(str(subject_id))
    except ValueError:
        return None
    model = apps.get_model(entry[0])
    return model.objects.filter(pk=pk).values_list(entry[1], flat=True).first()


def record_access(
    request: HttpRequest,
    *,
    subject_type: str,
    subject_id: object = "",
    subject_unit: Unit | None = None,
    subject_unit_id: int | None = None,
    listed_persons: list[int] | None = None,
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
        subject_unit_id=subject_unit.pk if subject_unit is not None else subject_unit_id,
        listed_persons=sorted(set(listed_persons)) if listed_persons else None,
        view_name=(match.view_name if match else "")[:120],
        method=request.method or "",
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED,
        request_id=getattr(request, "request_id", ""),
        signin_method=_signin_method(request) if user is not None else None,
    )


def _signin_method(request: HttpRequest) -> str | None:
    from cases.middleware import SIGNIN_METHOD_SESSION_KEY

    session = getattr(request, "session", None)
    return session.get(SIGNIN_METHOD_SESSION_KEY) if session is not None else None


def logs_access(subject_type: str, *, id_kwarg: str | None = "pk") -> Callable:
    """Decorate a view that shows ``subject_type`` data; the subject id is taken from
    the URL keyword ``id_kwarg``. The row names the subject's unit
    (``subject_unit_id``) – also for a denied attempt, so the owning unit's manager
    sees other units' users trying (lag 2001:454 10 §: access must be checkable)."""

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
                    request,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    subject_unit_id=subject_unit_id(subject_type, subject_id),
                    allowed=False,
                )
                raise
            unit = getattr(request, SUBJECT_UNIT_ATTR, None)
            record_access(
                request,
                subject_type=subject_type,
                subject_id=subject_id,
                subject_unit=unit,
                subject_unit_id=subject_unit_id(subject_type, subject_id) if unit is None else None,
                allowed=response.status_code < 400,
            )
            return response

        return wrapper

    return decorator
