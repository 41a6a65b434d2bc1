"""Template helpers of the plan pages."""

from django import template
from django.utils.html import format_html

from workplans.links import referral_label

register = template.Library()


@register.simple_tag
def referral_link(referral_id, referrals):
    """The referral an activity is linked to: a link when the referrals app resolved it."""
    label, url = referral_label(referral_id, referrals or {})
    if url:
        return format_html(
            '<p class="activity__referral">Remiss: <a href="{}">{}</a></p>', url, label
        )
    return format_html('<p class="activity__referral">{}</p>', label)


@register.filter
def current_status(activity) -> str:
    """The status after the latest follow-up, else the one in the plan."""
    from workplans.models import ActivityStatus

    followed = getattr(activity, "followed_status", None)
    return str(ActivityStatus(followed).label if followed else activity.get_status_display())
