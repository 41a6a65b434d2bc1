"""The person's own reads, in the one access log (lag 2001:454 10 §, DOMAIN.md §8): a
row with no staff user, role ``citizen`` and ``username`` ``person:<id>`` – the person
reading their own data; an attempt at someone else's is a denied row. No personnummer is
written (subjects by type and id only)."""

from functools import wraps

from django.http import Http404

from cases.access import subject_unit_id
from cases.models import AccessLog

CITIZEN_ROLE = "citizen"


def record_citizen_access(
    request, *, subject_type: str, subject_id: object = "", allowed: bool = True
) -> AccessLog:
    citizen = request.citizen
    match = getattr(request, "resolver_match", None)
    person_id = citizen.person_id if citizen.person_id else "okänd"
    return AccessLog.objects.create(
        user=None,
        username=f"person:{person_id}",
        role=CITIZEN_ROLE,
        unit_id=None,
        subject_type=subject_type,
        subject_id=str(subject_id),
        subject_unit_id=subject_unit_id(subject_type, subject_id),
        view_name=(match.view_name if match else "")[:120],
        method=request.method or "",
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED,
        request_id=getattr(request, "request_id", ""),
    )


def citizen_logs_access(subject_type: str, id_kwarg: str = "pk"):
    """Log the citizen's read of ``subject_type`` (allowed, or denied on a 404)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            subject_id = kwargs.get(id_kwarg, "")
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                record_citizen_access(
                    request, subject_type=subject_type, subject_id=subject_id, allowed=False
                )
                raise
            record_citizen_access(request, subject_type=subject_type, subject_id=subject_id)
            return response

        return wrapper

    return decorator
