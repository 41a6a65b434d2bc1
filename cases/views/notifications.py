"""The in-app inbox: notifications of the signed-in user only."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.deadlines import url_for
from cases.models import Notification
from cases.notifications import STAGE_PHRASES, mark_read, title
from cases.selectors import inbox as inbox_query


@login_required
def inbox(request):
    page = Paginator(inbox_query(request.user), 30).get_page(request.GET.get("sida"))
    items = [
        {
            "notification": n,
            "title": title(n),
            "stage": STAGE_PHRASES.get(n.stage, n.stage),
            "url": url_for(n.deadline),
        }
        for n in page
    ]
    return render(request, "cases/inbox.html", {"page": page, "items": items})


@login_required
def unread_count(request):
    count = Notification.objects.filter(recipient=request.user).unread().count()
    return render(request, "cases/_unread_count.html", {"unread_count": count})


@login_required
@require_POST
def mark_notifications_read(request):
    pk = request.POST.get("notification")
    mark_read(request.user, [int(pk)] if pk and pk.isdigit() else None)
    if request.htmx:
        return unread_count(request)
    return redirect("inbox")
