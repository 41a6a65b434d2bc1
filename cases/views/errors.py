"""Swedish error pages (the templates 400/403/404/500.html do the talking)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    # The reason is for developers; the person gets a plain explanation.
    return render(request, "403_csrf.html", status=403)
