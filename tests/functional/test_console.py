"""The console through the test client: sessions, CSRF, scopes, escaping, edits, imports."""

from __future__ import annotations

import datetime as dt
import html

from sqlalchemy import select, update

from catalog.models import ConsoleSession, Item
from service.db import db
from tests.conftest import ADMIN_KEY
from tests.functional.console_support import form_token, sign_in
from tests.functional.support import item_body

HOSTILE = "<script>alert(1)</script>"


def _secret(client, admin, *scopes: str) -> str:
    answer = client.post(
        "/v1/api-keys", json={"name": "console", "scopes": list(scopes)}, headers=admin
    )
    assert answer.status_code == 201
    return answer.get_json()["secret"]


def _cookies(answer) -> dict[str, str]:
    return {c.split("=", 1)[0]: c for c in answer.headers.getlist("Set-Cookie")}


def test_pages_send_a_browser_without_a_session_to_sign_in(client):
    answer = client.get("/ui/catalog?q=x")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/ui/sign-in?next=/ui/catalog?q%3Dx"


def test_signing_in_sets_a_strict_http_only_cookie_and_keeps_no_key(app, client):
    page = client.get("/ui/sign-in")
    answer = client.post(
        "/ui/sign-in", data={"csrf_token": form_token(page.text), "api_key": ADMIN_KEY}
    )
    assert answer.status_code == 303
    cookie = _cookies(answer)["skillpath_console"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/ui" in cookie
    assert "Secure" not in cookie  # plain HTTP here; see the TLS test below
    with app.test_request_context():
        rows = db.session.scalars(select(ConsoleSession)).all()
    assert len(rows) == 1 and ADMIN_KEY not in (rows[0].key_hash, rows[0].id_hash)
    assert "bootstrap admin" in client.get("/ui/").text


def test_the_cookie_is_secure_under_tls(client):
    page = client.get("/ui/sign-in", base_url="https://localhost")
    answer = client.post(
        "/ui/sign-in",
        data={"csrf_token": form_token(page.text), "api_key": ADMIN_KEY},
        base_url="https://localhost",
    )
    assert "Secure" in _cookies(answer)["skillpath_console"]


def test_a_wrong_key_is_refused(client):
    page = client.get("/ui/sign-in")
    answer = client.post(
        "/ui/sign-in", data={"csrf_token": form_token(page.text), "api_key": "sk_wrong"}
    )
    assert answer.status_code == 401
    assert "unknown or revoked" in answer.text
    assert client.get("/ui/").status_code == 302


def test_forms_without_their_csrf_token_are_refused(client):
    page = client.get("/ui/sign-in")
    assert client.post("/ui/sign-in", data={"api_key": ADMIN_KEY}).status_code == 403
    wrong = form_token(page.text)[::-1]
    assert (
        client.post("/ui/sign-in", data={"csrf_token": wrong, "api_key": ADMIN_KEY}).status_code
        == 403
    )
    token = sign_in(client, ADMIN_KEY)
    for path in ("/ui/sign-out", "/ui/import", "/ui/people/E1/share-links"):
        refused = client.post(path, data={"csrf_token": "forged"})
        assert refused.status_code == 403, path
        assert "security token" in refused.text
    assert client.get("/ui/").status_code == 200  # still signed in
    assert client.post("/ui/sign-out", data={"csrf_token": token}).status_code == 303
    assert client.get("/ui/").status_code == 302


def test_a_session_ends_when_it_expires_or_its_key_is_revoked(app, client, admin):
    sign_in(client, ADMIN_KEY)
    with app.test_request_context():
        db.session.execute(
            update(ConsoleSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(1))
        )
        db.session.commit()
    assert client.get("/ui/").status_code == 302
    answer = client.post(
        "/v1/api-keys", json={"name": "k", "scopes": ["catalog:write"]}, headers=admin
    )
    key_id, secret = answer.get_json()["id"], answer.get_json()["secret"]
    sign_in(client, secret)
    assert client.get("/ui/catalog").status_code == 200
    assert client.delete(f"/v1/api-keys/{key_id}", headers=admin).status_code in (200, 204)
    assert client.get("/ui/catalog").status_code == 302


def test_scopes_decide_what_pages_show_and_allow(client, admin, seed):
    seed.skill("python")
    client.post("/v1/items", json=item_body("py101"), headers=admin)
    sign_in(client, _secret(client, admin, "recommend"))
    home = client.get("/ui/").text
    assert "/ui/people" not in home
    refused = client.get("/ui/people")
    assert refused.status_code == 403 and "employees:read" in refused.text
    assert client.get("/ui/people/E1").status_code == 403  # scope before existence
    editor = client.get("/ui/catalog/py101")
    assert editor.status_code == 200 and "fieldset disabled" in editor.text
    token = form_token(editor.text)
    changed = client.post("/ui/catalog/py101", data={"csrf_token": token, "title": "Hacked"})
    assert changed.status_code == 403
    assert "catalog:write" in changed.text
    assert client.get("/v1/items/py101", headers=admin).get_json()["title"] == "Course py101"


def test_record_text_is_shown_as_text(client, admin, seed):
    seed.skill("python")
    client.post("/v1/items", json=item_body("xss", title=HOSTILE), headers=admin)
    sign_in(client, ADMIN_KEY)
    for path in ("/ui/catalog", "/ui/catalog/xss"):
        page = client.get(path).text
        assert HOSTILE not in page
        assert html.escape(HOSTILE) in page


def _editor(client, item_id: str) -> tuple[dict[str, str], str]:
    page = client.get(f"/ui/catalog/{item_id}").text
    etag = page.split('name="etag" value="', 1)[1].split('"', 1)[0]
    fields = {
        "csrf_token": form_token(page),
        "etag": html.unescape(etag),
        "title": "Python for analysts",
        "kind": "course",
        "modality": "self_paced",
        "language": "en",
        "duration_hours": "12.5",
        "cost": "0",
        "currency": "USD",
        "skills": "python:3",
        "active": "true",
    }
    return fields, etag


def test_an_edit_saves_and_a_stale_one_is_refused(app, client, admin, seed):
    seed.skill("python")
    client.post("/v1/items", json=item_body("py101"), headers=admin)
    sign_in(client, ADMIN_KEY)
    first, _ = _editor(client, "py101")
    second, _ = _editor(client, "py101")  # another tab opened the same version
    saved = client.post("/ui/catalog/py101", data=first)
    assert saved.status_code == 200 and "Saved." in saved.text
    item = client.get("/v1/items/py101", headers=admin).get_json()
    assert (item["title"], item["duration_hours"]) == ("Python for analysts", 12.5)
    stale = client.post("/ui/catalog/py101", data={**second, "title": "Lost update"})
    assert stale.status_code == 409
    assert "changed this item after you opened it" in stale.text
    assert "Python for analysts" in stale.text  # the form shows the current version
    assert client.get("/v1/items/py101", headers=admin).get_json()["title"] == "Python for analysts"


def test_an_invalid_edit_names_the_field_and_writes_nothing(client, admin, seed):
    seed.skill("python")
    client.post("/v1/items", json=item_body("py101"), headers=admin)
    sign_in(client, ADMIN_KEY)
    fields, _ = _editor(client, "py101")
    bad = client.post("/ui/catalog/py101", data={**fields, "duration_hours": "-3"})
    assert bad.status_code == 422 and "duration_hours" in bad.text
    unknown = client.post("/ui/catalog/py101", data={**fields, "skills": "cobol:2"})
    assert unknown.status_code == 422 and "cobol" in unknown.text
    assert client.get("/v1/items/py101", headers=admin).get_json()["duration_hours"] == 10


CSV_HEADER = "id,kind,title,modality,duration_hours,skills\n"


def test_a_dry_run_import_shows_row_errors_and_writes_nothing(app, client, seed):
    seed.skill("python")
    token = sign_in(client, ADMIN_KEY)
    text = (
        CSV_HEADER + "ok1,course,Fine,self_paced,3,python:2\nbad1,course,Bad,by_owl,-1,python:2\n"
    )
    answer = client.post(
        "/ui/import", data={"csrf_token": token, "kind": "items", "text": text, "action": "preview"}
    )
    assert answer.status_code == 422
    page = answer.text
    assert "nothing was written" in page
    assert "modality" in page and "duration_hours" in page and '<td class="num">2</td>' in page
    with app.test_request_context():
        assert db.session.scalar(select(Item).where(Item.id == "ok1")) is None
    good = CSV_HEADER + "ok1,course,Fine,self_paced,3,python:2\n"
    preview = client.post(
        "/ui/import", data={"csrf_token": token, "kind": "items", "text": good, "action": "preview"}
    )
    assert (
        preview.status_code == 200 and "Dry run: nothing was written. 1 rows: 1 new" in preview.text
    )
    done = client.post(
        "/ui/import", data={"csrf_token": token, "kind": "items", "text": good, "action": "import"}
    )
    assert done.status_code == 200 and "Imported." in done.text
    with app.test_request_context():
        assert db.session.scalar(select(Item.title).where(Item.id == "ok1")) == "Fine"


def test_import_takes_only_what_the_key_may_write(client, admin):
    token = sign_in(client, _secret(client, admin, "catalog:write"))
    page = client.get("/ui/import").text
    assert "<option >employees</option>" not in page and "employees:" not in page
    refused = client.post(
        "/ui/import", data={"csrf_token": token, "kind": "employees", "text": "[]"}
    )
    assert refused.status_code == 403


def test_the_employee_page_shows_gaps_plan_and_history(demo, client):
    sign_in(client, ADMIN_KEY)
    people = client.get("/ui/people")
    assert people.status_code == 200 and "/ui/people/E1001" in people.text
    page = client.get("/ui/people/E1001")
    assert page.status_code == 200
    text = page.text
    assert "% ready" in text and 'class="required"' in text  # gap bars
    assert "Timeline of" in text and text.count('class="step ') >= 1
    assert "Skill history" in text and "<td>" in text
    assert client.get("/ui/people/nobody").status_code == 404
