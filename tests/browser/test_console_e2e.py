"""The console and a shared plan in real headless Chromium, as an L&D admin and an LXP use them."""

from __future__ import annotations

import time
from urllib.parse import quote

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.conftest import autofocused, sign_in, statuses, wait_for, wait_for_text

EMPLOYEE = "E1001"  # the demo employee with a kept plan


def test_sign_in_and_out_with_the_keyboard_only(page, site):
    page.get(site.url + "/ui/people")
    assert "/ui/sign-in" in page.current_url
    autofocused(page).send_keys("sk_not_a_key", Keys.ENTER)
    assert "unknown or revoked" in wait_for(page, "[role=alert]").text
    sign_in(page, site)
    # Tab from the top of the page: the skip link comes first and lands on the content.
    page.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = page.switch_to.active_element
    assert skip.text == "Skip to content"
    skip.send_keys(Keys.ENTER)
    assert page.switch_to.active_element.get_attribute("id") == "main"
    sign_out = page.find_element(By.CSS_SELECTOR, "form.sign-out button")
    sign_out.send_keys(Keys.ENTER)
    wait_for(page, "#api_key")
    page.get(site.url + "/ui/")
    assert "/ui/sign-in" in page.current_url


def test_the_employee_page_shows_the_plan_timeline(page, site):
    sign_in(page, site)
    page.find_element(By.LINK_TEXT, "People").click()
    page.find_element(By.CSS_SELECTOR, f"a[href='/ui/people/{EMPLOYEE}']").click()
    timeline = wait_for(page, "figure.timeline svg")
    bars = timeline.find_elements(By.TAG_NAME, "rect")
    steps = page.find_elements(By.CSS_SELECTOR, "ol.steps > li")
    assert len(bars) == len(steps) >= 1
    assert bars[0].size["width"] > 0
    assert "ready" in page.find_element(By.CSS_SELECTOR, "figure.gaps figcaption").text
    assert page.find_elements(By.CSS_SELECTOR, "figure.gaps rect.current")


def test_a_leader_opens_a_team_heatmap(page, site):
    sign_in(page, site)
    page.find_element(By.LINK_TEXT, "Workforce").click()
    wait_for(page, "figure.line")
    page.find_element(By.LINK_TEXT, "Team heatmap").click()
    wait_for(page, ".subnav a[aria-current][href$=heatmap]")
    Select(page.find_element(By.ID, "team")).select_by_visible_text("platform")
    page.find_element(By.CSS_SELECTOR, ".filters button").click()
    table = wait_for(page, "table.heatmap")
    cells = table.find_elements(By.CSS_SELECTOR, "td.cell")
    assert cells and all(cell.text for cell in cells)  # a number (or a dot), never colour alone
    assert len(page.find_elements(By.CSS_SELECTOR, ".legend .swatch")) == 7
    colours = {
        c.value_of_css_property("background-color")
        for c in cells
        if "gap-" in c.get_attribute("class")
    }
    assert len(colours) >= 2  # the scale tells gaps apart
    page.find_element(By.CSS_SELECTOR, "table.heatmap tbody a").click()
    wait_for(page, "figure.gaps")


def _open_editor(page, site, item_id: str):
    page.get(f"{site.url}/ui/catalog/{item_id}")
    return wait_for(page, "#title")


def test_an_edit_saves_and_a_stale_one_is_refused(page, site):
    sign_in(page, site)
    page.get(site.url + "/ui/catalog?q=kubernetes")
    first_link = wait_for(page, "tbody a")
    item_id = first_link.get_attribute("href").rsplit("/", 1)[1]
    first_link.click()
    wait_for(page, "#title")
    mine = page.current_window_handle
    page.switch_to.new_window("tab")  # a colleague opens the same version
    other = page.current_window_handle
    _open_editor(page, site, item_id)
    page.switch_to.window(mine)
    title = page.find_element(By.ID, "title")
    title.clear()
    title.send_keys("Kubernetes in practice")
    page.find_element(By.CSS_SELECTOR, ".editor button[type=submit]").click()
    assert wait_for_text(page, "[role=status]", "Saved.") == "Saved."
    page.switch_to.window(other)
    title = page.find_element(By.ID, "title")
    title.clear()
    title.send_keys("Lost update")
    page.find_element(By.CSS_SELECTOR, ".editor button[type=submit]").click()
    alert = wait_for(page, "[role=alert]")
    assert "changed this item after you opened it" in alert.text
    assert page.find_element(By.ID, "title").get_attribute("value") == "Kubernetes in practice"
    page.close()
    page.switch_to.window(mine)
    assert site.api("GET", f"/v1/items/{item_id}")[1]["title"] == "Kubernetes in practice"


def test_a_dry_run_import_shows_the_bad_row(page, site):
    sign_in(page, site)
    page.find_element(By.LINK_TEXT, "Import").click()
    wait_for(page, "#text").send_keys(
        "id,kind,title,modality,duration_hours,skills\n"
        "e2e-ok,course,Fine,self_paced,3,kubernetes:2\n"
        "e2e-bad,course,Bad,by_carrier_pigeon,3,kubernetes:2\n"
    )
    page.find_element(By.CSS_SELECTOR, "button[value=preview]").click()
    table = wait_for(page, "table.row-errors")
    rows = [r.text for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert len(rows) == 1 and rows[0].startswith("2 modality")
    assert "nothing was written" in page.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert site.api("GET", "/v1/items/e2e-ok")[0] == 404


def _share_link(page, site) -> str:
    sign_in(page, site)
    page.get(f"{site.url}/ui/people/{EMPLOYEE}")
    page.find_element(By.XPATH, "//button[contains(., 'Create a share link')]").click()
    return wait_for(page, "#share-url").get_attribute("value")


def _framed_text(page, frame_id: str = "plan") -> str:
    page.switch_to.frame(page.find_element(By.ID, frame_id))
    try:
        return page.find_element(By.TAG_NAME, "body").text
    finally:
        page.switch_to.default_content()


def test_a_share_link_opens_in_an_lxp_frame_and_nowhere_else(page, site):
    url = _share_link(page, site)
    page.delete_all_cookies()  # the employee has no console session
    page.get(f"{site.lxp}/embed?url={quote(url, safe='')}")
    wait_for(page, "#plan")
    deadline = time.monotonic() + 10
    while "Learning plan" not in (text := _framed_text(page)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "Learning plan" in text and "steps done" in text
    page.save_screenshot(str(site.shots / "lxp-frame-1280.png"))
    page.get(f"{site.stranger}/embed?url={quote(url, safe='')}")
    wait_for(page, "#plan")
    time.sleep(1)
    assert "Learning plan" not in _framed_text(page)  # frame-ancestors refused this origin


def test_a_revoked_link_answers_410(page, site):
    url = _share_link(page, site)
    page.find_element(By.XPATH, "//button[contains(., 'Revoke this link')]").click()
    assert "revoked" in wait_for_text(page, "[role=status]", "revoked")
    page.get_log("performance")
    page.get(url)
    assert "no longer available" in wait_for(page, "h1").text
    assert statuses(page)[url] == 410
