"""Every page: nothing loaded from another host, no policy violation, no layout break, screenshots.

Screenshots of each page at 1,280 and 390 px go to tests/browser/output/<database>/.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from selenium.webdriver.common.by import By

from tests.browser.conftest import WIDTHS, requested_urls, sign_in, wait_for

EMPLOYEE = "E1001"
# Schemes a page may use without a request leaving the browser.
LOCAL_SCHEMES = {"data", "about", "blob"}


def _share_urls(site) -> tuple[str, str]:
    status, live = site.api("POST", f"/v1/employees/{EMPLOYEE}/share-links")
    assert status == 201
    status, revoked = site.api("POST", f"/v1/employees/{EMPLOYEE}/share-links")
    assert site.api("DELETE", f"/v1/employees/{EMPLOYEE}/share-links/{revoked['id']}")[0] == 204
    return live["url"], revoked["url"]


def _shoot(page, site, name: str, width: int) -> None:
    """Save the whole page at ``width`` and check it needs no sideways scrolling."""
    page.set_window_size(width, 900)
    height = page.execute_script("return document.documentElement.scrollHeight")
    page.set_window_size(width, min(max(height, 600), 6000))
    if not name.startswith("docs"):  # Swagger UI's own layout is not ours to hold
        overflow = page.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (name, width, overflow)
    path = site.shots / f"{name}-{width}.png"
    assert page.save_screenshot(str(path)) and path.stat().st_size > 1000


def test_every_page_loads_only_from_the_app_and_fits_both_widths(page, site):
    live, revoked = _share_urls(site)
    item = site.api("GET", "/v1/items?kind=certification&page_size=1")[1][0]["id"]
    pages = {
        "sign-in": site.url + "/ui/sign-in",
        "home": site.url + "/ui/",
        "catalog": site.url + "/ui/catalog",
        "catalog-search": site.url + "/ui/catalog?kind=certification&q=cloud",
        "item": f"{site.url}/ui/catalog/{item}",
        "import": site.url + "/ui/import",
        "people": site.url + "/ui/people",
        "employee": f"{site.url}/ui/people/{EMPLOYEE}",
        "kpis": site.url + "/ui/analytics/kpis",
        "skills": site.url + "/ui/analytics/skills",
        "heatmap": site.url + "/ui/analytics/heatmap?team=platform",
        "candidates": site.url + "/ui/analytics/candidates?role=cloud-architect",
        "certifications": site.url + "/ui/analytics/certifications",
        "share": live,
        "share-revoked": revoked,
        "docs": site.url + "/docs",
    }
    seen: list[str] = []
    for name, url in pages.items():
        if name == "home":
            sign_in(page, site)
        for width in WIDTHS:
            page.set_window_size(width, 900)
            page.get(url)
            wait_for(page, "#swagger-ui .information-container" if name == "docs" else "h1")
            _shoot(page, site, name, width)
        seen += requested_urls(page)
        problems = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
        # The revoked link's page is a 410 on purpose; the console logs that as a failed load.
        problems = [e for e in problems if not (name == "share-revoked" and "410" in e["message"])]
        assert problems == [], (name, problems)
    # The import page after a dry run that found errors, at both widths.
    page.get(site.url + "/ui/import")
    page.find_element(By.ID, "text").send_keys("id,kind,title\nx,course,\n")
    page.find_element(By.CSS_SELECTOR, "button[value=preview]").click()
    wait_for(page, "table.row-errors")
    for width in WIDTHS:
        _shoot(page, site, "import-errors", width)
    seen += requested_urls(page)
    fetched = [u for u in seen if urlsplit(u).scheme not in LOCAL_SCHEMES]
    assert len(fetched) > len(pages) * 2, fetched
    assert [u for u in fetched if not site.same_origin(u)] == []
    shots = sorted(p.name for p in site.shots.glob("*.png"))
    assert len(shots) >= 2 * (len(pages) + 1), shots
