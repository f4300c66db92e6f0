"""Every console page checked with axe-core (Deque's accessibility engine) in Chromium.

axe-core is not part of this repository: ``.ci/run`` fetches a pinned version from the npm
registry and names the file in ``SKILLPATH_AXE_JS``; without it this test skips, saying so.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.browser.conftest import sign_in, wait_for

# Impacts axe calls "serious" or "critical" block the check; minor ones are reported only.
BLOCKING = {"serious", "critical"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    """Return axe-core's script, or skip when it was not fetched."""
    path = os.environ.get("SKILLPATH_AXE_JS")
    if not path:
        pytest.skip("SKILLPATH_AXE_JS names no axe-core script (.ci/run fetches one)")
    return Path(path).read_text(encoding="utf-8")


def _violations(page, axe_source: str) -> list[dict]:
    page.execute_script(axe_source)
    result = page.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r)));"
    )
    return json.loads(result)["violations"]


def test_console_pages_have_no_serious_accessibility_violations(page, site, axe_source):
    status, link = site.api("POST", "/v1/employees/E1001/share-links")
    assert status == 201
    paths = [
        "/ui/catalog",
        "/ui/catalog?kind=certification",
        "/ui/import",
        "/ui/people",
        "/ui/people/E1001",
        "/ui/analytics/kpis",
        "/ui/analytics/skills",
        "/ui/analytics/heatmap?team=platform",
        "/ui/analytics/candidates?role=cloud-architect",
        "/ui/analytics/certifications",
    ]
    page.get(site.url + "/ui/sign-in")
    found = {"/ui/sign-in": _violations(page, axe_source)}
    sign_in(page, site)
    for path in paths:
        page.get(site.url + path)
        wait_for(page, "h1")
        found[path] = _violations(page, axe_source)
    page.get(link["url"])
    wait_for(page, "h1")
    found["share"] = _violations(page, axe_source)
    blocking = {
        path: [
            (v["id"], v["impact"], len(v["nodes"])) for v in violations if v["impact"] in BLOCKING
        ]
        for path, violations in found.items()
    }
    assert {path: v for path, v in blocking.items() if v} == {}
