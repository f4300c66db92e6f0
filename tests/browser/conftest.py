"""End-to-end fixtures: the app on a demo-seeded database in a server thread, headless Chromium.

The browser is Debian's ``chromium`` driven through ``chromium-driver`` with Selenium; nothing
is downloaded. Without them the tests skip, saying why, unless ``SKILLPATH_BROWSER_REQUIRED``
is set (CI sets it): then a missing browser fails the run rather than hiding the tests.
"""

from __future__ import annotations

import html
import http.server
import json
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from flask import Flask
from werkzeug.serving import make_server

from catalog import migrate
from service.app import create_app
from service.cli import seed_demo_command
from service.db import db
from tests.conftest import DATABASES
from tests.reliability.conftest import _database

pytestmark = pytest.mark.browser

ADMIN_KEY = "browser-admin-key-0123456789"
HOST = "127.0.0.1"
OUTPUT = Path(__file__).parent / "output"
WIDTHS = (1280, 390)


def _browser_paths() -> tuple[str | None, str | None]:
    chromium = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )
    driver = shutil.which("chromedriver")
    if driver is None and Path("/usr/lib/chromium/chromedriver").exists():
        driver = "/usr/lib/chromium/chromedriver"
    return chromium, driver


@pytest.fixture(scope="session")
def chromium_paths() -> tuple[str, str]:
    """Return the Chromium and chromedriver executables, or skip (fail in CI) without them."""
    chromium, driver = _browser_paths()
    if chromium and driver:
        return chromium, driver
    reason = "headless Chromium is not installed (apt-get install chromium chromium-driver)"
    if os.environ.get("SKILLPATH_BROWSER_REQUIRED"):
        pytest.fail(reason + ", and SKILLPATH_BROWSER_REQUIRED says these tests must run")
    pytest.skip(reason)


class _Embedder(http.server.BaseHTTPRequestHandler):
    """Serves a page that frames the URL in its query, as an LXP would, on its own origin."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        target = html.escape(unquote(self.path.partition("?url=")[2]))
        body = (
            "<!doctype html><title>LXP</title><h1>Our learning portal</h1>"
            f'<iframe id="plan" title="plan" src="{target}" width="800" height="600"></iframe>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@dataclass
class Site:
    """A running app (and an LXP-like page on another origin) for the browser to visit."""

    url: str
    app: Flask
    database: str
    lxp: str  # an origin allowed to frame share links
    stranger: str  # an origin that is not
    shots: Path = field(default=OUTPUT)

    def api(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        """Call the API as the admin through the test client (setup only, not what is tested)."""
        client = self.app.test_client()
        answer = client.open(
            path,
            method=method,
            json=body,
            base_url=self.url,  # so the links it answers point at the running server
            headers={"Authorization": f"Bearer {ADMIN_KEY}"},
        )
        return answer.status_code, answer.get_json(silent=True)

    def same_origin(self, url: str) -> bool:
        """Tell whether ``url`` is served by the app itself."""
        return urlsplit(url).netloc == urlsplit(self.url).netloc


def _serve(handler_or_app) -> tuple[object, str]:
    if isinstance(handler_or_app, Flask):
        server = make_server(HOST, 0, handler_or_app, threaded=True)
    else:
        server = http.server.ThreadingHTTPServer((HOST, 0), handler_or_app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_port}"


@pytest.fixture(scope="module", params=DATABASES)
def site(request, tmp_path_factory, chromium_paths) -> Iterator[Site]:
    """Serve the app on a fresh demo-seeded database, with an LXP page on two other origins."""
    lxp_server, lxp = _serve(_Embedder)
    stranger_server, stranger = _serve(_Embedder)
    with _database(request.param, tmp_path_factory.mktemp("browser")) as url:
        migrate.upgrade(url)
        app = create_app(
            {
                "SKILLPATH_DATABASE_URL": url,
                "SKILLPATH_ADMIN_KEY": ADMIN_KEY,
                "SKILLPATH_AUTO_MIGRATE": False,
                "SKILLPATH_LOG_LEVEL": "WARNING",
                "SKILLPATH_RATELIMIT": "100000/minute",
                "SKILLPATH_SHARE_FRAME_ANCESTORS": lxp,
            }
        )
        seeded = app.test_cli_runner().invoke(seed_demo_command)
        assert seeded.exit_code == 0, seeded.output
        server, base = _serve(app)
        shots = OUTPUT / request.param
        shots.mkdir(parents=True, exist_ok=True)
        try:
            yield Site(base, app, request.param, lxp, stranger, shots)
        finally:
            for running in (server, lxp_server, stranger_server):
                running.shutdown()
                running.server_close()
            db.dispose(app)


@pytest.fixture(scope="module")
def browser(chromium_paths):
    """Return a headless Chromium that logs every network request and console message."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = chromium_paths
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",  # no update or safe-browsing calls to tell apart
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={WIDTHS[0]},900",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    chrome.set_page_load_timeout(60)
    yield chrome
    chrome.quit()


@pytest.fixture
def page(browser, site):
    """Return the browser with no console cookies and empty logs, at desktop width."""
    browser.get(site.url + "/ui/sign-in")
    browser.delete_all_cookies()
    browser.set_window_size(WIDTHS[0], 900)
    browser.get_log("performance")
    browser.get_log("browser")
    return browser


def requested_urls(browser) -> list[str]:
    """Return the URLs the browser requested since the log was last read."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def statuses(browser) -> dict[str, int]:
    """Return the status of each response the browser got since the log was last read."""
    seen = {}
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.responseReceived":
            response = message["params"]["response"]
            seen[response["url"]] = response["status"]
    return seen


def sign_in(browser, site: Site, secret: str = ADMIN_KEY) -> None:
    """Sign in through the form, with the keyboard."""
    from selenium.webdriver.common.keys import Keys

    browser.get(site.url + "/ui/sign-in")
    autofocused(browser).send_keys(secret, Keys.ENTER)
    wait_for(browser, "form.sign-out")


def autofocused(browser, field_id: str = "api_key"):
    """Return the field the page focuses by itself, once it has focus.

    The browser may give autofocus a moment after the page is there: keys typed
    before it would go to the page's body and nowhere else.
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    field = browser.find_element(By.ID, field_id)
    WebDriverWait(browser, 5).until(lambda b: b.switch_to.active_element == field)
    return field


def wait_for_text(browser, css: str, text: str, timeout: float = 15) -> str:
    """Return the text of ``css`` once it holds ``text`` (the page may be replaced meanwhile)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    locator = (By.CSS_SELECTOR, css)
    WebDriverWait(browser, timeout).until(shown.text_to_be_present_in_element(locator, text))
    return browser.find_element(*locator).text


def wait_for(browser, css: str, timeout: float = 15):
    """Return the element ``css`` finds once the page shows it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as shown
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(
        shown.presence_of_element_located((By.CSS_SELECTOR, css))
    )
