"""Layout stumbles of issue 21 that only a browser can see: select labels cut off, a
table cut at the panel's edge, chart labels too small to read, signature forms stacked
in a narrow column. Each page is also checked with axe."""

from django.urls import reverse

from cases.demo import DEMO_PASSWORD
from cases.models import Application
from tests.browser.axe import assert_no_axe_violations
from tests.browser.test_login import log_in
from workplans.models import PlanVersion

# Selects narrower than their chosen option's text (the arrow takes ~24 px).
CUT_SELECTS = """() => {
  const canvas = document.createElement('canvas').getContext('2d');
  return Array.from(document.querySelectorAll('select')).filter(select => {
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const widths = Array.from(select.options).map(o => canvas.measureText(o.text).width);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const room = select.clientWidth - padding - 20;
    const widest = Math.max(...widths);
    return widest > room + 1;
  }).map(select => select.name);
}"""

# Table cells whose right edge lies outside the visible part of their scroll box/panel.
CUT_CELLS = """(selector) => {
  const panel = document.querySelector(selector);
  const box = (panel.querySelector('.table-scroll') || panel).getBoundingClientRect();
  return Array.from(panel.querySelectorAll('th, td'))
    .filter(cell => cell.getBoundingClientRect().right > box.right + 1)
    .map(cell => cell.textContent.trim());
}"""


def test_decision_and_calculation_selects_show_their_whole_labels(page, live_server, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    maja = Application.objects.get(applicant__first_name="Maja")
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    cut = {}
    for path in (
        reverse("decision_new", args=[maja.case_id, maja.pk]),
        reverse("application_detail", args=[maja.case_id, maja.pk]),
    ):
        page.goto(live_server.url + path)
        if names := page.evaluate(CUT_SELECTS):
            cut[path] = names
        assert_no_axe_violations(page, path)
    assert not cut, cut


def test_signature_forms_stand_side_by_side(page, live_server, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    version = PlanVersion.objects.filter(
        status=PlanVersion.Status.AWAITING, plan__case__caseworker__username="erik.handlaggare"
    ).first()
    log_in(page, live_server, "erik.handlaggare", DEMO_PASSWORD)
    page.goto(live_server.url + reverse("workplans:plan_detail", args=[version.plan_id]))

    forms = page.locator("#underskrifter ~ .sign-forms form, .sign-forms form")
    boxes = [forms.nth(i).bounding_box() for i in range(forms.count())]
    assert len(boxes) == 2, boxes
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[1]["x"] > boxes[0]["x"] + 200
    assert all(box["width"] >= 300 for box in boxes)
    assert_no_axe_violations(page)


def test_log_review_table_is_whole_and_chart_labels_readable(page, live_server, demo_data):
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "maria.enhetschef", DEMO_PASSWORD)

    page.goto(live_server.url + reverse("reporting:log_review"))
    assert page.evaluate(CUT_CELLS, "section[aria-labelledby=users-heading]") == []
    assert page.get_by_role("columnheader", name="Nekade").is_visible()
    assert "Maria Berg" in page.locator("section[aria-labelledby=users-heading]").inner_text()

    page.goto(live_server.url + reverse("reporting:indicators"))
    sizes = page.locator("text.chart__tick").evaluate_all(
        "ticks => ticks.map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= 11, sizes
