"""The user guide's screenshots (docs/screenshots/), taken from the demo data in Chromium:
`scripts/screenshots.sh` runs this file with VAGEN_SCREENSHOTS=1 (skipped otherwise).
Each page is also checked with axe on the way."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from cases.demo import DEMO_PASSWORD
from cases.models import Application
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_login import log_in

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    not os.environ.get("VAGEN_SCREENSHOTS"), reason="scripts/screenshots.sh tar skärmbilderna"
)


def shoot(page, live_server, path: str, name: str) -> None:
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    assert_no_axe_violations(page, path)
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def test_caseworker_screenshots(page, live_server, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    maja = Application.objects.get(applicant__first_name="Maja")
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    shoot(page, live_server, reverse("case_detail", args=[maja.case_id]), "arende")
    shoot(page, live_server, reverse("decision_new", args=[maja.case_id, maja.pk]), "beslut")


def test_unit_manager_screenshots(page, live_server, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)
    shoot(page, live_server, reverse("reporting:statistics"), "statistik")
    shoot(page, live_server, reverse("reporting:log_review"), "logggranskning")
    shoot(page, live_server, reverse("reporting:indicators"), "indikatorer")
