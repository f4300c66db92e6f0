"""Change feeds: ``updated_since`` on every listing, Link paging, and the deletions feed."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import auth
from tests.functional.support import assert_problem, error_fields, pagination

LISTINGS = {
    "/v1/skills": "id",
    "/v1/items": "id",
    "/v1/roles": "id",
    "/v1/employees": "id",
    "/v1/api-keys": "id",
    "/v1/oauth-clients": "client_id",
}


def links(response) -> dict[str, str]:
    """Return the Link header's targets by relation."""
    found = re.findall(r'<([^>]+)>; rel="([^"]+)"', response.headers.get("Link", ""))
    return {rel: url for url, rel in found}


def local(url: str) -> str:
    """Return the path and query of an absolute URL, for the test client."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def follow(client, headers, path: str) -> list[dict]:
    """Read a listing to its end by its ``next`` links, returning every row."""
    rows: list[dict] = []
    while path:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.get_json()
        rows += response.get_json()
        path = local(links(response)["next"]) if "next" in links(response) else ""
    return rows


@pytest.fixture
def three_of_each(client, admin, seed):
    """Store three records of each listed type."""
    seed.skills("python", "sql", "go")
    for n in range(3):
        seed.item(f"course-{n}")
        seed.role(f"role-{n}")
        seed.employee(f"e{n}")
        client.post("/v1/api-keys", json={"name": f"k{n}", "scopes": ["recommend"]}, headers=admin)
        client.post(
            "/v1/oauth-clients", json={"name": f"c{n}", "scopes": ["recommend"]}, headers=admin
        )


@pytest.mark.parametrize("path", LISTINGS)
def test_every_listing_links_to_the_next_page_from_its_own_url(client, admin, three_of_each, path):
    first = client.get(f"{path}?page_size=2", headers=admin)
    assert first.status_code == 200
    assert "X-Pagination" in first.headers
    rel = links(first)
    assert set(rel) == {"first", "next", "last"}
    assert parse_qs(urlsplit(rel["next"]).query) == {"page_size": ["2"], "page": ["2"]}
    assert rel["next"].startswith("http://localhost" + path)
    second = client.get(local(rel["next"]), headers=admin)
    assert set(links(second)) == {"first", "prev", "last"}
    assert parse_qs(urlsplit(links(second)["prev"]).query)["page"] == ["1"]
    key = LISTINGS[path]
    everything = client.get(f"{path}?page_size=100", headers=admin).get_json()
    paged = [row[key] for row in first.get_json() + second.get_json()]
    assert sorted(paged, key=str) == sorted((row[key] for row in everything), key=str)


def test_links_keep_the_filters(client, admin, three_of_each):
    response = client.get("/v1/items?kind=course&page_size=1&q=course", headers=admin)
    query = parse_qs(urlsplit(links(response)["next"]).query)
    assert query == {"kind": ["course"], "page_size": ["1"], "q": ["course"], "page": ["2"]}


@pytest.mark.parametrize("path", LISTINGS)
def test_updated_since_lists_rows_changed_after_it_in_change_order(
    client, admin, three_of_each, path
):
    key = LISTINGS[path]
    rows = client.get(f"{path}?page_size=100", headers=admin).get_json()
    rows.sort(key=lambda row: (row["updated_at"], row[key]))
    since = rows[0]["updated_at"]
    changed = client.get(path, query_string={"updated_since": since}, headers=admin)
    assert [row[key] for row in changed.get_json()] == [row[key] for row in rows[1:]]
    # Read in pages of one by the links, it is the same rows in the same order.
    paged = follow(client, admin, f"{path}?page_size=1&updated_since={since.replace('+', '%2B')}")
    assert [row[key] for row in paged] == [row[key] for row in rows[1:]]


def test_a_row_changed_while_a_sync_pages_is_seen_and_none_is_skipped(client, admin, seed):
    for ident in ("a", "b", "c", "d"):
        seed.skill(ident)
    first = client.get(
        "/v1/skills",
        query_string={"updated_since": "2000-01-01T00:00:00Z", "page_size": 2},
        headers=admin,
    )
    assert [s["id"] for s in first.get_json()] == ["a", "b"]
    seed.skill("a", "A again")  # moves to the end of the change order
    rest = follow(client, admin, local(links(first)["next"]))
    assert [s["id"] for s in rest] == ["c", "d", "a"]


def test_updated_since_takes_rfc_3339_times_only(client, admin, seed):
    seed.skill("python")
    for good in ("2000-01-01T00:00:00Z", "2000-01-01T00:00:00+01:00", "2000-01-01T00:00:00.5Z"):
        response = client.get("/v1/skills", query_string={"updated_since": good}, headers=admin)
        assert [s["id"] for s in response.get_json()] == ["python"], good
    # "+01:00" sent without encoding arrives as " 01:00"; it still means +01:00.
    unencoded = client.get("/v1/skills?updated_since=2000-01-01T00:00:00+01:00", headers=admin)
    assert unencoded.status_code == 200
    for bad in ("2000-01-01", "2000-01-01T00:00:00", "yesterday"):
        response = client.get("/v1/skills", query_string={"updated_since": bad}, headers=admin)
        assert error_fields(response) == {"updated_since"}, bad
    future = client.get(
        "/v1/skills", query_string={"updated_since": "2999-01-01T00:00:00Z"}, headers=admin
    )
    assert future.get_json() == [] and "Link" not in future.headers


def test_a_revoked_key_or_client_shows_as_changed(client, admin, new_key):
    key = client.post("/v1/api-keys", json={"name": "k", "scopes": ["recommend"]}, headers=admin)
    made = client.post(
        "/v1/oauth-clients", json={"name": "c", "scopes": ["recommend"]}, headers=admin
    ).get_json()
    since = {"updated_since": max(key.get_json()["updated_at"], made["updated_at"])}
    assert client.get("/v1/api-keys", query_string=since, headers=admin).get_json() == []
    client.delete(f"/v1/api-keys/{key.get_json()['id']}", headers=admin)
    client.delete(f"/v1/oauth-clients/{made['client_id']}", headers=admin)
    keys = client.get("/v1/api-keys", query_string=since, headers=admin).get_json()
    clients = client.get("/v1/oauth-clients", query_string=since, headers=admin).get_json()
    assert keys[0]["revoked_at"] and clients[0]["revoked_at"]


def test_deletions_write_tombstones_listed_by_the_changes_feed(client, admin, seed):
    seed.skills("python", "cobol")
    seed.role("old-role", {"python": 2})
    seed.employee("e1")
    before = client.get("/v1/skills/cobol", headers=admin).get_json()["updated_at"]
    precondition = {**admin, "If-Match": "*"}
    for path in ("/v1/skills/cobol", "/v1/roles/old-role", "/v1/employees/e1"):
        assert client.delete(path, headers=precondition).status_code == 204
    feed = client.get("/v1/changes", headers=admin)
    changes = feed.get_json()
    assert [(c["type"], c["id"]) for c in changes] == [
        ("skill", "cobol"),
        ("role", "old-role"),
        ("employee", "e1"),
    ]
    assert all(c["deleted_at"] > before for c in changes)
    assert pagination(feed)["total"] == 3 and "first" in links(feed)
    only = client.get("/v1/changes?types=skill,role", headers=admin).get_json()
    assert [c["type"] for c in only] == ["skill", "role"]
    since = client.get(
        "/v1/changes", query_string={"since": changes[0]["deleted_at"]}, headers=admin
    )
    assert [c["id"] for c in since.get_json()] == ["old-role", "e1"]
    paged = follow(client, admin, "/v1/changes?page_size=1")
    assert paged == changes


def test_a_refused_delete_writes_no_tombstone(client, admin, seed):
    seed.skill("python")
    seed.item("course", {"python": 2})
    response = client.delete("/v1/skills/python", headers={**admin, "If-Match": "*"})
    assert_problem(response, 409)
    assert client.get("/v1/changes", headers=admin).get_json() == []


def test_deleted_employees_are_listed_only_to_readers_of_profiles(client, admin, seed, new_key):
    seed.skill("python")
    seed.employee("e1")
    client.delete("/v1/skills/python", headers={**admin, "If-Match": "*"})
    client.delete("/v1/employees/e1", headers={**admin, "If-Match": "*"})
    catalog_reader = new_key("recommend")
    listed = client.get("/v1/changes", headers=catalog_reader).get_json()
    assert [c["type"] for c in listed] == ["skill"]
    assert_problem(client.get("/v1/changes?types=employee", headers=catalog_reader), 403)
    reader = new_key("employees:read")
    assert [c["type"] for c in client.get("/v1/changes", headers=reader).get_json()] == [
        "skill",
        "employee",
    ]


def test_the_changes_feed_refuses_unknown_types_and_needs_a_key(client, admin):
    assert error_fields(client.get("/v1/changes?types=item", headers=admin)) == {"types[0]"}
    assert_problem(client.get("/v1/changes"), 401)
    assert_problem(client.get("/v1/changes", headers=auth("sk_wrong")), 401)
