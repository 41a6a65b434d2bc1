"""The permission gate. Role checks for whole pages live here; the per-case gate
(``get_case_for_user``) joins it when cases exist. Views never check permissions ad hoc."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from cases.roles import Role


def role_required(*roles: Role) -> Callable:
    """Allow a view to signed-in users holding at least one of ``roles``; others get
    the Swedish 403 page (anonymous users go to the login page)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not any(request.user.has_role(role) for role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator
