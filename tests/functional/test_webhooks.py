"""Webhook subscriptions: /v1/webhooks, their secret, and the URLs they may point at."""

from __future__ import annotations

import base64

import pytest

from catalog.webhook_urls import UnsafeWebhookUrlError, check_url

PUBLIC_URL = "https://93.184.215.14/hooks/skillpath"
LOOPBACK = "127.0.0.1"


def _subscribe(client, admin, url=PUBLIC_URL, events=("plan.created",)):
    return client.post("/v1/webhooks", json={"url": url, "events": list(events)}, headers=admin)


def _fields(response) -> list[str]:
    return [error["field"] for error in response.get_json()["errors"]]


def test_a_subscription_shows_its_secret_once(client, admin):
    created = _subscribe(client, admin, events=["plan.completed", "catalog.changed"])
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["url"] == PUBLIC_URL
    assert body["events"] == ["catalog.changed", "plan.completed"]
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"), validate=True)) == 32
    assert created.headers["Location"].endswith(f"/v1/webhooks/{body['id']}")

    one = client.get(f"/v1/webhooks/{body['id']}", headers=admin)
    assert one.status_code == 200
    assert "secret" not in one.get_json()
    assert one.headers["ETag"] == created.headers["ETag"]
    listed = client.get("/v1/webhooks", headers=admin).get_json()
    assert [w["id"] for w in listed] == [body["id"]]
    assert "secret" not in listed[0]
    other = _subscribe(client, admin).get_json()
    assert other["secret"] != body["secret"]


def test_a_subscription_changes_and_goes_under_if_match(client, admin):
    body = _subscribe(client, admin).get_json()
    path = f"/v1/webhooks/{body['id']}"
    etag = client.get(path, headers=admin).headers["ETag"]
    change = {"events": ["plan.step_completed"]}
    assert client.patch(path, json=change, headers=admin).status_code == 428
    stale = client.patch(path, json=change, headers={**admin, "If-Match": '"stale"'})
    assert stale.status_code == 412
    changed = client.patch(path, json=change, headers={**admin, "If-Match": etag})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["events"] == ["plan.step_completed"]
    assert changed.get_json()["url"] == PUBLIC_URL
    assert changed.headers["ETag"] != etag
    # Saying the same again changes nothing, not even the ETag.
    same = client.patch(path, json=change, headers={**admin, "If-Match": "*"})
    assert same.headers["ETag"] == changed.headers["ETag"]
    assert client.delete(path, headers={**admin, "If-Match": etag}).status_code == 412
    gone = client.delete(path, headers={**admin, "If-Match": changed.headers["ETag"]})
    assert gone.status_code == 204
    assert client.get(path, headers=admin).status_code == 404
    assert client.get(path + "/deliveries", headers=admin).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": PUBLIC_URL, "events": ["plan.deleted"]}, "events[0]"),
        ({"url": PUBLIC_URL, "events": []}, "events"),
        ({"url": PUBLIC_URL}, "events"),
        ({"url": "ftp://93.184.215.14/x", "events": ["plan.created"]}, "url"),
        ({"url": "http://93.184.215.14/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://user:pw@93.184.215.14/x", "events": ["plan.created"]}, "url"),
        ({"url": "https://127.0.0.1/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://localhost:8443/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://10.1.2.3/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://192.168.0.10/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://172.20.0.1/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://169.254.169.254/latest/meta-data", "events": ["plan.created"]}, "url"),
        ({"url": "https://100.64.0.1/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://0.0.0.0/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://240.0.0.1/hook", "events": ["plan.created"]}, "url"),
        ({"url": "https://no-such-host.invalid/hook", "events": ["plan.created"]}, "url"),
    ],
)
def test_bad_subscriptions_are_refused_naming_the_field(client, admin, body, field):
    response = client.post("/v1/webhooks", json=body, headers=admin)
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert field in _fields(response), response.get_json()
    assert client.get("/v1/webhooks", headers=admin).get_json() == []


def test_a_refused_address_says_how_to_put_it_right(client, admin):
    response = _subscribe(client, admin, url="https://127.0.0.1/hook")
    message = response.get_json()["errors"][0]["message"]
    assert "127.0.0.1" in message and "SKILLPATH_WEBHOOK_ALLOW_HOSTS" in message


def test_a_change_to_a_private_address_is_refused_too(client, admin):
    body = _subscribe(client, admin).get_json()
    path = f"/v1/webhooks/{body['id']}"
    refused = client.patch(
        path, json={"url": "https://10.0.0.8/hook"}, headers={**admin, "If-Match": "*"}
    )
    assert refused.status_code == 422
    assert _fields(refused) == ["url"]
    assert client.get(path, headers=admin).get_json()["url"] == PUBLIC_URL


def test_allowed_hosts_may_be_loopback_and_plain_http(make_app, admin):
    client = make_app(SKILLPATH_WEBHOOK_ALLOW_HOSTS=("localhost", LOOPBACK)).test_client()
    for url in ("http://127.0.0.1:8123/hook", "https://localhost/hook"):
        assert _subscribe(client, admin, url=url).status_code == 201, url
    # Only the named hosts: another private address is still refused.
    assert _subscribe(client, admin, url="https://10.0.0.8/hook").status_code == 422


def test_webhooks_need_the_admin_scope(client, new_key):
    for scopes in (("catalog:write",), ("employees:read", "employees:write")):
        headers = new_key(*scopes)
        assert client.get("/v1/webhooks", headers=headers).status_code == 403
        assert _subscribe(client, headers).status_code == 403


def _resolver(*addresses: str):
    return lambda host, port: list(addresses)


@pytest.mark.parametrize(
    "addresses",
    [
        ("93.184.215.14", "10.0.0.1"),  # one private address among public ones is enough
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", "::1"),
        ("::ffff:127.0.0.1",),  # loopback in IPv4-mapped IPv6
        ("fe80::1%eth0",),
        ("fc00::5",),
    ],
)
def test_every_resolved_address_must_be_public(addresses):
    with pytest.raises(UnsafeWebhookUrlError):
        check_url("https://hooks.example.com/x", allow_hosts=(), resolver=_resolver(*addresses))


def test_a_public_host_resolves_to_the_addresses_the_sender_will_use():
    target = check_url(
        "https://Hooks.Example.com./x?a=1",
        allow_hosts=(),
        resolver=_resolver("93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
    )
    assert (target.host, target.port, target.target) == ("hooks.example.com", 443, "/x?a=1")
    assert target.addresses[0] == "93.184.215.14"
