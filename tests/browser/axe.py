"""axe-core in the browser tests: ``assert_no_axe_violations(page)`` runs Deque's axe-core
(the npm package in package.json, installed with ``npm ci`` – never a CDN) in the page
Playwright has open and fails on any WCAG 2.0/2.1 level A or AA violation, naming the rule,
the elements and axe's help text. Lag (2018:1937) om tillgänglighet till digital offentlig
service requires WCAG 2.1 AA through EN 301 549.

The script is evaluated through the DevTools protocol rather than added as a <script>
element, so the page's Content-Security-Policy (which allows no inline script) stays as it
is in production."""

import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                           resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '),
                                          summary: (n.failureSummary || '').slice(0, 300)})),
  }));
}"""


@cache
def axe_source() -> str:
    """axe.min.js from node_modules, running `npm ci` first on a clean clone."""
    if not AXE_SCRIPT.exists():
        subprocess.run(  # noqa: S603 – fixed arguments, our own package-lock.json
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],  # noqa: S607
            cwd=ROOT,
            check=True,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations axe finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN, WCAG_TAGS)


def assert_no_axe_violations(page, context: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(context or page.url, violations)


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"axe: {len(violations)} WCAG 2.1 A/AA-överträdelser på {where}"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['summary']}")
    return "\n".join(lines)
