"""Share links: signed, expiring, revocable; the page shows the active plan only, framed as set."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from sqlalchemy import update

from catalog.models import ShareLink
from service.db import db
from tests.conftest import ADMIN_KEY
from tests.functional.console_support import seeded, sign_in
from tests.functional.support import assert_problem

EMPLOYEE = "E1001"  # the demo employee with a kept plan


def _link(client, admin, employee: str = EMPLOYEE, **body) -> dict:
    answer = client.post(f"/v1/employees/{employee}/share-links", json=body or None, headers=admin)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _path(link: dict) -> str:
    return urlsplit(link["url"]).path


def test_a_share_link_opens_the_active_plan_and_nothing_else(demo, client, admin):
    link = _link(client, admin)
    assert link["url"].startswith("http://localhost/ui/share/")
    expires = dt.datetime.fromisoformat(link["expires_at"])
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    page = client.get(_path(link))  # no key, no session: the token is the credential
    assert page.status_code == 200
    plan = client.get(f"/v1/employees/{EMPLOYEE}/plans?status=active", headers=admin).get_json()[0]
    text = page.text
    for step in plan["steps"]:
        assert step["start_date"] in text and step["end_date"] in text
    assert f"{plan['progress']['steps_done']} of {len(plan['steps'])} steps done" in text
    profile = client.get(f"/v1/employees/{EMPLOYEE}", headers=admin).get_json()
    assert profile["id"] not in text and (profile.get("display_name") or "\0") not in text
    assert "Skill history" not in text and "Sign out" not in text
    assert page.headers["Cache-Control"] == "no-store"


def test_framing_is_allowed_only_for_configured_ancestors(make_app, admin):
    app = seeded(make_app(SKILLPATH_SHARE_FRAME_ANCESTORS="https://lxp.example.com"))
    client = app.test_client()
    page = client.get(_path(_link(client, admin)))
    policy = page.headers["Content-Security-Policy"]
    assert "frame-ancestors https://lxp.example.com" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "X-Frame-Options" not in page.headers
    assert client.get("/ui/sign-in").headers["X-Frame-Options"] == "DENY"


def test_a_revoked_link_is_gone(demo, client, admin):
    link = _link(client, admin, expires_in_days=2)
    path = f"/v1/employees/{EMPLOYEE}/share-links/{link['id']}"
    assert client.delete(path, headers=admin).status_code == 204
    assert client.delete(path, headers=admin).status_code == 204  # harmless twice
    gone = client.get(_path(link))
    assert gone.status_code == 410
    assert "revoked" in gone.text and "<script" not in gone.text
    assert_problem(
        client.delete(f"/v1/employees/E1002/share-links/{link['id']}", headers=admin), 404
    )


def test_an_expired_link_is_gone(demo, app, client, admin):
    link = _link(client, admin)
    with app.test_request_context():
        db.session.execute(
            update(ShareLink).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
        db.session.commit()
    gone = client.get(_path(link))
    assert gone.status_code == 410 and "expired" in gone.text


def test_erasing_the_employee_ends_their_links(demo, client, admin):
    link = _link(client, admin)
    etag = client.get(f"/v1/employees/{EMPLOYEE}", headers=admin).headers["ETag"]
    erased = client.delete(f"/v1/employees/{EMPLOYEE}", headers={**admin, "If-Match": etag})
    assert erased.status_code in (200, 204)
    assert client.get(_path(link)).status_code == 410


def test_a_forged_or_altered_token_opens_nothing(demo, client, admin):
    path = _path(_link(client, admin))
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    assert client.get("/ui/share/WyJ4IiwieSJd.forged").status_code == 404


def test_links_are_signed_with_the_configured_secret(make_app, admin):
    secret = "a-share-signing-secret-0123"
    one = seeded(make_app(SKILLPATH_SECRET_KEY=secret))
    path = _path(_link(one.test_client(), admin))
    assert one.test_client().get(path).status_code == 200
    # Another host with the same secret and database opens it; another secret does not.
    assert make_app(SKILLPATH_SECRET_KEY=secret).test_client().get(path).status_code == 200
    other = make_app(SKILLPATH_SECRET_KEY="another-secret-0123456789")
    assert other.test_client().get(path).status_code == 404


def test_link_requests_are_checked(demo, client, admin, new_key):
    bad = (0, 367, -1, 1.5, "5", None, True, 10**30)
    cases = [({"expires_in_days": v}, "expires_in_days") for v in bad] + [({"x": 1}, "x")]
    for body, field in cases:
        problem = assert_problem(
            client.post(f"/v1/employees/{EMPLOYEE}/share-links", json=body, headers=admin), 422
        )
        assert problem["errors"][0]["field"] == field
    assert_problem(client.post("/v1/employees/nobody/share-links", headers=admin), 404)
    for link_id in ("x" * 129, "a%00b", "..", "é"):
        answer = client.delete(f"/v1/employees/{EMPLOYEE}/share-links/{link_id}", headers=admin)
        assert answer.status_code in (404, 422), (link_id, answer.status_code)
        assert_problem(answer, answer.status_code)
    narrow = new_key("recommend")
    # Scope before existence: a narrow key learns nothing about who exists.
    for employee in (EMPLOYEE, "nobody"):
        assert_problem(client.post(f"/v1/employees/{employee}/share-links", headers=narrow), 403)


def test_the_console_creates_and_revokes_a_link(demo, client):
    token = sign_in(client, ADMIN_KEY)
    made = client.post(f"/ui/people/{EMPLOYEE}/share-links", data={"csrf_token": token})
    assert made.status_code == 201
    url = made.text.split('id="share-url" readonly value="', 1)[1].split('"', 1)[0]
    assert client.get(urlsplit(url).path).status_code == 200
    link_id = made.text.split("/share-links/", 1)[1].split("/revoke", 1)[0]
    revoked = client.post(
        f"/ui/people/{EMPLOYEE}/share-links/{link_id}/revoke", data={"csrf_token": token}
    )
    assert revoked.status_code == 200 and "was revoked" in revoked.text
    assert client.get(urlsplit(url).path).status_code == 410
