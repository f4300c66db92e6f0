"""Console and share-link writes racing across gunicorn workers, on both databases.

Editors who opened the same version of an item save at once: exactly one is saved, the
others are told the item changed. Share links made at once on a fresh database, before any
signing secret exists, all open on every worker.
"""

from __future__ import annotations

import http.client
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest

from tests.reliability.conftest import ADMIN_KEY, HOST, LiveServer

pytestmark = pytest.mark.reliability

EDITORS = 6
LINKS = 8
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ETAG = re.compile(r'name="etag" value="([^"]+)"')


@dataclass
class Browser:
    """A cookie jar over plain HTTP connections, as a browser keeps one."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def send(self, method: str, path: str, form: dict[str, str] | None = None):
        """Send one request with the jar's cookies; keep what the answer sets; return it."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
            for cookie in response.msg.get_all("Set-Cookie") or ():
                name, _, rest = cookie.partition("=")
                value = rest.split(";", 1)[0]
                if value:
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
        finally:
            conn.close()
        return response.status, text

    def sign_in(self) -> None:
        """Sign in with the admin key through the form."""
        _, page = self.send("GET", "/ui/sign-in")
        form = {"csrf_token": TOKEN.search(page).group(1), "api_key": ADMIN_KEY}
        status, _ = self.send("POST", "/ui/sign-in", form)
        assert status == 303


def _race(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_of_editors_saving_one_version_only_one_is_saved(live: LiveServer):
    assert live.request("PUT", "/v1/skills/racing", body={"name": "Racing"}).status in (200, 201)
    item = {
        "kind": "course",
        "title": "Race course",
        "modality": "self_paced",
        "duration_hours": 5,
        "skills": [{"skill": "racing", "level": 2}],
    }
    assert live.request("PUT", "/v1/items/race-1", body=item).status == 201
    editors = [Browser(live.port) for _ in range(EDITORS)]
    forms = []
    for n, editor in enumerate(editors):
        editor.sign_in()
        status, page = editor.send("GET", "/ui/catalog/race-1")
        assert status == 200
        forms.append(
            {
                "csrf_token": TOKEN.search(page).group(1),
                "etag": ETAG.search(page).group(1).replace("&#34;", '"'),
                "title": f"Edited by {n}",
                "kind": "course",
                "modality": "self_paced",
                "language": "en",
                "duration_hours": "5",
                "cost": "0",
                "currency": "USD",
                "skills": "racing:2",
                "active": "true",
            }
        )
    answers = _race(
        [
            lambda e=e, f=f: e.send("POST", "/ui/catalog/race-1", f)
            for e, f in zip(editors, forms, strict=True)
        ]
    )
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (EDITORS - 1), statuses
    winner = next(n for n, (status, _) in enumerate(answers) if status == 200)
    stored = live.request("GET", "/v1/items/race-1").body
    assert stored["title"] == f"Edited by {winner}"
    for status, text in answers:
        if status == 409:
            assert "changed this item after you opened it" in text


def test_links_made_at_once_before_any_secret_exists_open_on_every_worker(live: LiveServer):
    assert live.request("PUT", "/v1/employees/E-share", body={"team": "race"}).status == 201
    answers = _race([lambda: live.request("POST", "/v1/employees/E-share/share-links")] * LINKS)
    assert [a.status for a in answers] == [201] * LINKS, [a.body for a in answers]
    paths = [urlsplit(a.body["url"]).path for a in answers]
    # Each path is opened on several new connections, so by more than one worker.
    opened = _race(
        [lambda p=p: live.request("GET", p, headers={"Authorization": ""}) for p in paths * 3]
    )
    assert [a.status for a in opened] == [200] * len(opened)
