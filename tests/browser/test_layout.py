"""The pages people work in all day fit a 1280-pixel window on the demo data: nothing
widens the page, nothing sticks out of (or has to scroll inside) its panel, every form
control has a label, axe-core finds no WCAG 2.1 A/AA violation, and the indicator charts
draw their bars – in Chromium, where layout really happens."""

import pytest
from django.urls import reverse

from cases.demo import DEMO_PASSWORD
from cases.models import Application, Person
from referrals.models import Mapping
from tests.browser.axe import axe_violations, format_violations
from tests.browser.test_login import log_in
from workplans.models import WorkPlan

OVERFLOWING = """() => {
  const page = document.documentElement;
  const boxes = Array.from(document.querySelectorAll('.panel, .card'))
    .filter(box => box.scrollWidth > box.clientWidth + 1)
    .map(box => (box.querySelector('h1, h2') || box).textContent.trim().slice(0, 60));
  return {page: page.scrollWidth - page.clientWidth, boxes};
}"""


UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => !['hidden', 'submit', 'button'].includes(el.type))
  .filter(el => !((el.id && document.querySelector(`label[for="${el.id}"]`))
    || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')))
  .map(el => el.name)"""


def caseworker_pages() -> list[str]:
    maja = Application.objects.get(applicant__first_name="Maja")
    ali = Person.objects.get(first_name="Ali", last_name="Exempel")
    plan = WorkPlan.objects.filter(case__caseworker__username="erik.handlaggare").first()
    mapping = Mapping.objects.filter(case__caseworker__username="erik.handlaggare").first()
    return [
        reverse("caseworker_start"),
        reverse("case_list"),
        reverse("case_detail", args=[maja.case_id]),
        reverse("application_detail", args=[maja.case_id, maja.pk]),
        reverse("decision_new", args=[maja.case_id, maja.pk]),
        reverse("person_detail", args=[ali.pk]),
        reverse("workplans:plan_detail", args=[plan.pk]),
        reverse("referrals:mapping_detail", args=[mapping.case_id, mapping.person_id]),
        reverse("referrals:my_referrals"),
    ]


def unit_manager_pages() -> list[str]:
    return [
        reverse("unit_manager_start"),
        reverse("reporting:dashboard"),
        reverse("reporting:indicators"),
        reverse("reporting:case_reviews"),
        reverse("reporting:log_review"),
        reverse("reporting:statistics"),
        reverse("approvals"),
    ]


def reception_pages() -> list[str]:
    return [reverse("reception_start"), reverse("contact_create")]


def administrator_pages() -> list[str]:
    return [reverse("administrator_start")]


@pytest.mark.parametrize(
    ("username", "pages"),
    [
        ("erik.handlaggare", caseworker_pages),
        ("maria.enhetschef", unit_manager_pages),
        ("anna.reception", reception_pages),
        ("admin", administrator_pages),
    ],
    ids=["handlaggare", "enhetschef", "reception", "administrator"],
)
def test_pages_fit_the_window_and_label_their_fields(page, live_server, demo_data, username, pages):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, username, DEMO_PASSWORD)
    problems = {}
    for path in pages():
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found = page.evaluate(OVERFLOWING)
        found["unlabelled"] = page.evaluate(UNLABELLED)
        if found["page"] > 0 or found["boxes"] or found["unlabelled"]:
            problems[path] = found
        if violations := axe_violations(page):
            problems[path] = {**found, "axe": format_violations(path, violations)}
    assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())


def test_indicator_charts_draw_their_bars(page, live_server, demo_data):
    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("reporting:indicators"))
    # The demo's callbacks this month: a bar with a height the browser really lays out.
    heights = page.locator("rect.chart__bar").evaluate_all(
        "bars => bars.map(bar => bar.getBBox().height)"
    )
    assert heights and max(heights) > 0
