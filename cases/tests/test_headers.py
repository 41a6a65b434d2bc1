"""Security and privacy headers (issue 13): a Content-Security-Policy on every page,
``Cache-Control: no-store`` on every page and file with personal data, Referrer-Policy
and Permissions-Policy – and templates that need no inline script or style."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cases.services import decisions as svc
from cases.tests.factories import CaseFactory
from cases.tests.test_decisions import calculated_application, draft

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
EXPECTED_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        name: value.strip()
        for name, _, value in (part.strip().partition(" ") for part in header.split(";"))
    }


def assert_private_headers(response) -> None:
    directives = _directives(response)
    for name, value in EXPECTED_DIRECTIVES.items():
        assert directives[name] == value, (name, directives)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_the_login_page_carries_the_headers(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_private_headers(response)


def test_a_case_page_carries_the_headers(client, caseworker):
    case = CaseFactory(caseworker=caseworker)
    client.force_login(caseworker)
    response = client.get(reverse("case_detail", args=[case.pk]))
    assert response.status_code == 200
    assert_private_headers(response)


def test_a_decision_letter_pdf_carries_the_headers(client, caseworker):
    application = calculated_application(caseworker)
    decision = svc.decision_submit(draft(application, caseworker), actor=caseworker)
    client.force_login(caseworker)
    response = client.get(reverse("decision_letter", args=[decision.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert_private_headers(response)


def test_a_refusal_and_an_htmx_fragment_are_no_store_too(client, caseworker):
    client.force_login(caseworker)
    denied = client.get(reverse("case_detail", args=[999_999]))
    assert denied.status_code == 404 and denied["Cache-Control"] == "no-store"
    fragment = client.get(reverse("unread_count"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and fragment["Cache-Control"] == "no-store"


def test_no_template_has_inline_script_handlers_or_style_attributes():
    """What the policy forbids, caught before a browser does: inline <script>,
    on…= handlers, javascript: URLs and style= attributes. PDF templates are rendered
    by WeasyPrint on the server, never by a browser, and may keep their <style>."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    forbidden = re.compile(r"\son[a-z]+\s*=|javascript:|\sstyle\s*=|<style", re.IGNORECASE)
    found = []
    for path in TEMPLATES.rglob("*.html"):
        if path.relative_to(TEMPLATES).parts[0] == "pdf":
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)  # comments
        for pattern in (inline_script, forbidden):
            found += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in pattern.finditer(text)
            ]
    assert found == []


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code(client):
    page = client.get(reverse("login")).content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page)
    assert config is not None
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert '"allowEval": false' in config.group(1)
