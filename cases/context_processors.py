"""Template context about the signed-in member of staff (header and navigation)."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cases.roles import START_PAGE_URL_NAMES


def staff(request):
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    return {
        "staff_role": role,
        "staff_start_url_name": START_PAGE_URL_NAMES.get(role) if role else None,
        "municipality_name": settings.VAGEN_MUNICIPALITY_NAME,
        "idle_timeout_minutes": settings.VAGEN_IDLE_TIMEOUT_MINUTES,
        # Lazy: one COUNT only on pages that render the header badge.
        "unread_count": SimpleLazyObject(lambda: _unread(user)) if role else 0,
    }


def _unread(user) -> int:
    from cases.models import Notification

    return Notification.objects.filter(recipient=user).unread().count()
