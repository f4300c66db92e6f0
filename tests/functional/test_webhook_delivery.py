"""``skillpath deliver`` against a real receiver: signatures, retries, order, redirects, events."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import func, select

from catalog import records
from catalog.models import WebhookDelivery, WebhookEvent
from catalog.skills import SKILL
from service.cli import cli
from service.db import db
from tests.functional.support import item_body, skill_body
from tests.functional.webhook_receiver import Receiver, verify

RETRY_SECONDS = 1.0


@pytest.fixture
def app(make_app):
    """Return an app whose webhooks may reach the loopback receiver, retrying quickly."""
    return make_app(
        SKILLPATH_WEBHOOK_ALLOW_HOSTS=("127.0.0.1",),
        SKILLPATH_WEBHOOK_RETRY_SECONDS=RETRY_SECONDS,
        SKILLPATH_WEBHOOK_TIMEOUT=2.0,
    )


@pytest.fixture
def deliver(runner):
    """Return a function running ``skillpath deliver --once`` and returning its attempts."""

    def run() -> int:
        result = runner.invoke(cli, ["deliver", "--once"])
        assert result.exit_code == 0, result.output
        return int(result.output.split()[0])

    return run


@pytest.fixture
def subscribe(client, admin):
    """Return a function subscribing a URL to events; it returns the subscription with secret."""

    def make(url: str, *events: str) -> dict:
        response = client.post("/v1/webhooks", json={"url": url, "events": events}, headers=admin)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return make


def _deliveries(client, admin, hook, **query) -> list[dict]:
    response = client.get(
        f"/v1/webhooks/{hook['id']}/deliveries", query_string=query, headers=admin
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _write_skills(client, admin, *idents: str) -> None:
    for ident in idents:
        assert (
            client.put(f"/v1/skills/{ident}", json=skill_body(ident), headers=admin).status_code
            == 201
        )


def test_a_500_is_retried_and_every_attempt_is_signed(client, admin, subscribe, deliver):
    with Receiver([500]) as receiver:
        hook = subscribe(receiver.url(), "catalog.changed")
        _write_skills(client, admin, "python")
        assert deliver() == 1
        [pending] = _deliveries(client, admin, hook)
        assert pending["status"] == "pending"
        assert [a["status_code"] for a in pending["attempts"]] == [500]
        assert pending["attempts"][0]["error"] == "answered 500"
        assert pending["next_attempt_at"] is not None
        # The next attempt waits out its backoff.
        assert deliver() == 0
        time.sleep(RETRY_SECONDS * 1.5)
        assert deliver() == 1
    first, second = receiver.received
    assert (first.answered, second.answered) == (500, 200)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == pending["message_id"]
    for request in (first, second):
        assert verify(hook["secret"], request.headers, request.body)
        assert not verify(hook["secret"], request.headers, request.body + b" ")
        assert request.message["type"] == "catalog.changed"
        assert request.message["data"]["record_type"] == "skill"
        assert request.message["data"]["created"] == ["python"]
    [done] = _deliveries(client, admin, hook)
    assert done["status"] == "delivered" and done["next_attempt_at"] is None
    assert [a["status_code"] for a in done["attempts"]] == [500, 200]
    assert _deliveries(client, admin, hook, status="pending") == []


def test_a_redirect_is_never_followed(client, admin, subscribe, deliver):
    with Receiver([302]) as receiver:
        hook = subscribe(receiver.url(), "catalog.changed")
        _write_skills(client, admin, "python")
        assert deliver() == 1
    assert [r.path for r in receiver.received] == ["/hook"]
    [attempt] = _deliveries(client, admin, hook)[0]["attempts"]
    assert attempt["status_code"] == 302
    assert attempt["error"] == "redirect to /elsewhere not followed"


def test_a_failing_delivery_holds_back_the_later_ones_of_its_subscription(
    client, admin, subscribe, deliver
):
    with Receiver([503]) as slow, Receiver() as fine:
        held = subscribe(slow.url(), "catalog.changed")
        subscribe(fine.url(), "catalog.changed")
        _write_skills(client, admin, "a", "b", "c")
        # The other subscription is not held back by this one's failure.
        assert deliver() == 4
        assert len(slow.received) == 1 and len(fine.received) == 3
        assert [d["status"] for d in _deliveries(client, admin, held)] == ["pending"] * 3
        time.sleep(RETRY_SECONDS * 1.5)
        assert deliver() == 3
    for receiver in (slow, fine):
        versions = [r.message["data"]["catalog_version"] for r in receiver.received]
        assert versions == sorted(versions)
    assert [r.message["data"]["created"] for r in fine.received] == [["a"], ["b"], ["c"]]
    assert [r.message["data"]["created"] for r in slow.received] == [["a"], ["a"], ["b"], ["c"]]


def test_a_delivery_is_given_up_after_the_last_attempt(make_app, admin):
    app = make_app(
        SKILLPATH_WEBHOOK_ALLOW_HOSTS=("127.0.0.1",),
        SKILLPATH_WEBHOOK_RETRY_SECONDS=RETRY_SECONDS,
        SKILLPATH_WEBHOOK_MAX_ATTEMPTS=2,
    )
    client, runner = app.test_client(), app.test_cli_runner()
    with Receiver([500, 500]) as receiver:
        hook = client.post(
            "/v1/webhooks",
            json={"url": receiver.url(), "events": ["catalog.changed"]},
            headers=admin,
        ).get_json()
        _write_skills(client, admin, "a", "b")
        runner.invoke(cli, ["deliver", "--once"])
        time.sleep(RETRY_SECONDS * 1.5)
        runner.invoke(cli, ["deliver", "--once"])
    statuses = {d["payload"]["created"][0]: d["status"] for d in _deliveries(client, admin, hook)}
    assert statuses == {"a": "abandoned", "b": "delivered"}
    assert [r.answered for r in receiver.received] == [500, 500, 200]


def test_events_wait_in_the_outbox_until_a_deliverer_runs(client, admin, subscribe, deliver):
    with Receiver() as receiver:
        hook = subscribe(receiver.url(), "catalog.changed")
        _write_skills(client, admin, "a", "b")
        time.sleep(0.2)
        assert receiver.received == []
        assert len(_deliveries(client, admin, hook, status="pending")) == 2
        assert deliver() == 2
    assert len(receiver.received) == 2


def test_a_rolled_back_change_leaves_no_event(app, client, admin, subscribe):
    subscribe("http://127.0.0.1:9/hook", "catalog.changed")
    with app.app_context():
        session = db.sessionmaker(write=True)()
        try:
            records.create(
                session=session, record_type=SKILL, ident="rust", data=skill_body("rust")
            )
            # Written in the change's own transaction...
            assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 1
            session.rollback()
        finally:
            session.close()
        with db.sessionmaker(write=False)() as session:
            # ...so gone with it.
            assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 0
            assert session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
    # A write the API refuses leaves nothing either.
    refused = client.put("/v1/items/x", json=item_body("x", {"unknown-skill": 2}), headers=admin)
    assert refused.status_code == 422


def test_no_subscription_no_event(app, client, admin):
    _write_skills(client, admin, "a")
    with app.app_context(), db.sessionmaker(write=False)() as session:
        assert session.scalar(select(func.count()).select_from(WebhookEvent)) == 0


def test_a_plan_tells_of_its_creation_its_steps_and_its_completion(
    client, admin, runner, subscribe, deliver
):
    with Receiver() as receiver:
        subscribe(receiver.url(), "plan.created", "plan.step_completed", "plan.completed")
        assert runner.invoke(cli, ["seed-demo"]).exit_code == 0
        [plan] = client.get("/v1/employees/E1001/plans", headers=admin).get_json()
        items = [step["item"]["id"] for step in plan["steps"]]
        today = dt.date.today().isoformat()
        assert len(items) >= 3
        # The first two steps done by one write, the rest one write each.
        for batch in [items[:2]] + [[item] for item in items[2:]]:
            done = client.post(
                "/v1/employees/E1001/completions",
                json=[{"item": item, "completed_at": today} for item in batch],
                headers=admin,
            )
            assert done.status_code in (200, 201), done.get_json()
        # Recording one again finishes nothing more.
        client.post(
            "/v1/employees/E1001/completions",
            json={"item": items[0], "completed_at": today},
            headers=admin,
        )
        deliver()
    messages = [r.message for r in receiver.received]
    assert [m["type"] for m in messages] == (
        ["plan.created"] + ["plan.step_completed"] * len(items) + ["plan.completed"]
    )
    assert {m["data"]["plan"] for m in messages} == {plan["id"]}
    steps = [m["data"] for m in messages if m["type"] == "plan.step_completed"]
    assert [s["item"] for s in steps] == items
    assert [s["steps_done"] for s in steps] == list(range(1, len(items) + 1))
    assert messages[-1]["data"]["finished_on"] == today
    assert (
        client.get(f"/v1/employees/E1001/plans/{plan['id']}", headers=admin).get_json()["status"]
        == "completed"
    )


def test_a_certification_tells_ahead_of_its_expiry(client, admin, subscribe, deliver):
    _write_skills(client, admin, "aws")
    cert = item_body("aws-cert", {"aws": 3}, kind="certification", valid_months=24)
    assert client.put("/v1/items/aws-cert", json=cert, headers=admin).status_code == 201
    assert client.put("/v1/employees/E1", json={"skills": []}, headers=admin).status_code == 201
    today = dt.date.today()
    with Receiver() as receiver:
        hook = subscribe(receiver.url(), "certification.expiring")
        soon = today + dt.timedelta(days=10)
        for completed, expires in ((today - dt.timedelta(days=700), soon), (today, None)):
            body = {"item": "aws-cert", "completed_at": completed.isoformat()}
            if expires:
                body["expires_at"] = expires.isoformat()
            response = client.post("/v1/employees/E1/completions", json=body, headers=admin)
            assert response.status_code in (200, 201), response.get_json()
        assert deliver() == 1
    [message] = [r.message for r in receiver.received]
    assert message["type"] == "certification.expiring"
    assert message["data"]["employee"] == "E1"
    assert message["data"]["expires_on"] == soon.isoformat()
    # The renewal's notice waits until 30 days before its own expiry, two years on.
    [later] = _deliveries(client, admin, hook, status="pending")
    expiry = dt.date.fromisoformat(later["payload"]["expires_on"])
    assert later["payload"]["completed_at"] == today.isoformat()
    assert dt.datetime.fromisoformat(later["due_at"]).date() == expiry - dt.timedelta(days=30)


def test_deliveries_are_counted_by_outcome(client, admin, subscribe, deliver):
    def counted(outcome: str) -> float:
        text = client.get("/metrics", headers=admin).get_data(as_text=True)
        prefix = (
            f'skillpath_webhook_deliveries_total{{event="catalog.changed",outcome="{outcome}"}} '
        )
        lines = [line for line in text.splitlines() if line.startswith(prefix)]
        return float(lines[0].split()[-1]) if lines else 0.0

    before = counted("delivered"), counted("failed")
    with Receiver([500]) as receiver:
        subscribe(receiver.url(), "catalog.changed")
        _write_skills(client, admin, "a")
        deliver()
        time.sleep(RETRY_SECONDS * 1.5)
        deliver()
    assert len(receiver.received) == 2
    assert (counted("delivered"), counted("failed")) == (before[0] + 1, before[1] + 1)


def test_deliveries_are_paged(client, admin, subscribe):
    hook = subscribe("http://127.0.0.1:9/hook", "catalog.changed")
    _write_skills(client, admin, "a", "b", "c")
    response = client.get(f"/v1/webhooks/{hook['id']}/deliveries?page_size=2", headers=admin)
    assert response.status_code == 200
    assert [d["payload"]["created"] for d in response.get_json()] == [["c"], ["b"]]
    assert 'rel="next"' in response.headers["Link"]


def test_the_address_is_checked_again_at_send_time(make_app, admin):
    # Subscribed while localhost was allowed; the sender runs where it no longer is, as when
    # a name that passed the check later resolves to an internal address.
    lax = make_app(SKILLPATH_WEBHOOK_ALLOW_HOSTS=("localhost",)).test_client()
    strict = make_app(SKILLPATH_WEBHOOK_ALLOW_HOSTS=(), SKILLPATH_WEBHOOK_RETRY_SECONDS=60.0)
    with Receiver() as receiver:
        url = receiver.url().replace("http://127.0.0.1", "https://localhost")
        hook = lax.post(
            "/v1/webhooks", json={"url": url, "events": ["catalog.changed"]}, headers=admin
        ).get_json()
        _write_skills(lax, admin, "a")
        result = strict.test_cli_runner().invoke(cli, ["deliver", "--once"])
        assert result.exit_code == 0, result.output
    assert receiver.received == []
    [attempt] = _deliveries(lax, admin, hook)[0]["attempts"]
    assert attempt["status_code"] is None
    assert attempt["error"].startswith("refused: the host 'localhost' resolves to")
    assert "loopback" in attempt["error"]
