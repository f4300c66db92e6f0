"""``skillpath deliver``: send the outbox's webhook deliveries, signed, at least once, in order.

Each send is a POST of ``{"type", "timestamp", "data"}`` signed as Standard Webhooks: headers
``webhook-id`` (the event's id, the same on every attempt, for the receiver to drop repeats),
``webhook-timestamp`` (seconds since the epoch, of this attempt) and ``webhook-signature``
(``v1,`` and the base64 HMAC-SHA256, keyed by the secret's decoded bytes, of
``"{id}.{timestamp}.{body}"``). A 2xx answer delivers; anything else, a redirect included
(never followed), a timeout or a refused address, is retried later with exponential backoff
until the last attempt. The URL is checked again before every send, on the addresses its host
resolves to then, and the connection goes to one of those very addresses.

No transaction stays open during a send: claiming, reading the next delivery and recording
its outcome are short transactions of their own (see :mod:`catalog.webhook_queue`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import os
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from catalog import webhook_queue as queue
from catalog.models import utcnow
from catalog.webhook_urls import Target, UnsafeWebhookUrlError, check_url
from catalog.webhooks import SECRET_PREFIX
from service.metrics import count_webhook_delivery

log = logging.getLogger("skillpath.webhooks")
# The most of a receiver's answer that is read: only its status matters.
MAX_ANSWER_BYTES = 64 * 1024
USER_AGENT = "Skillpath-Webhooks/1"


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the ``webhook-signature`` header value of one message (Standard Webhooks v1)."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def body_of(outgoing: queue.Outgoing) -> bytes:
    """Return the JSON body of a delivery: the same bytes on every attempt."""
    message = {
        "type": outgoing.event_type,
        "timestamp": outgoing.created_at.isoformat(),
        "data": outgoing.payload,
    }
    return json.dumps(message, separators=(",", ":"), sort_keys=True).encode()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand, whatever DNS answers now."""

    def __init__(self, target: Target, address: str, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        """Connect to the checked address rather than resolving the host again."""
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address, verifying the certificate of the host name."""

    def __init__(self, target: Target, address: str, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(target.host, target.port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        """Connect to the checked address, then speak TLS for the URL's host name."""
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


@dataclass(frozen=True, slots=True)
class Result:
    """What one attempt got: a status code, or an error, and how long it took."""

    status_code: int | None
    error: str | None
    duration_ms: int


def send(
    outgoing: queue.Outgoing,
    *,
    allow_hosts: Collection[str],
    timeout: float,
    now: Callable[[], float] = time.time,
) -> Result:
    """POST one delivery to its subscription's URL, signed, and say what came of it."""
    started = time.monotonic()

    def took() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target = check_url(outgoing.url, allow_hosts=allow_hosts)
    except UnsafeWebhookUrlError as exc:
        return Result(None, f"refused: {exc}", took())
    body = body_of(outgoing)
    timestamp = int(now())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": outgoing.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(outgoing.secret, outgoing.message_id, timestamp, body),
    }
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    conn = kind(target, target.addresses[0], timeout)
    try:
        conn.request("POST", target.target, body=body, headers=headers)
        answer = conn.getresponse()
        answer.read(MAX_ANSWER_BYTES)
        status = answer.status
        location = answer.getheader("Location")
    except (OSError, http.client.HTTPException) as exc:
        return Result(None, _describe(exc, timeout), took())
    finally:
        conn.close()
    if 200 <= status < 300:
        return Result(status, None, took())
    if 300 <= status < 400:
        where = f" to {location[:200]}" if location else ""
        return Result(status, f"redirect{where} not followed", took())
    return Result(status, f"answered {status}", took())


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    return f"{type(exc).__name__}: {exc}"[:300]


@dataclass
class Deliverer:
    """Sends due deliveries, one subscription at a time per deliverer, each in order.

    :param sessions: makes write sessions on the service's database.
    :param settings: the app's configuration (``SKILLPATH_WEBHOOK_*``).
    """

    sessions: Callable[[], Session]
    settings: Mapping[str, Any]
    owner: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:"
                       f"{uuid.uuid4().hex[:8]}")  # fmt: skip
    stopping: threading.Event = field(default_factory=threading.Event)
    due_by: dt.datetime | None = None

    @property
    def lease(self) -> dt.timedelta:
        """How long a claim holds: many times the longest send, renewed before each."""
        return dt.timedelta(seconds=max(60.0, 6 * self.settings["SKILLPATH_WEBHOOK_TIMEOUT"]))

    def run(self, *, once: bool = False, poll: float = 1.0) -> int:
        """Send what is due, then (unless ``once``) keep polling until stopped.

        :return: how many attempts were made.
        """
        attempts = 0
        # One pass sends what was due when it began: a retry it schedules waits for the next.
        self.due_by = utcnow() if once else None
        while not self.stopping.is_set():
            webhook_id = self._claim_one()
            if webhook_id is None:
                if once:
                    break
                self.stopping.wait(poll)
                continue
            sent = self._send_subscription(webhook_id)
            if once and not sent:
                break  # nothing it could send after all: a pass must end
            attempts += sent
        return attempts

    def _due(self, now: dt.datetime) -> dt.datetime:
        """Return the time deliveries must be due by to be sent now."""
        return self.due_by if self.due_by is not None else now

    def _claim_one(self) -> str | None:
        """Lease one subscription with due deliveries that no other deliverer holds."""
        with self.sessions() as session:
            now = utcnow()
            ready = queue.ready_webhooks(session=session, now=now, due_by=self._due(now), limit=5)
            for webhook_id in ready:
                if queue.claim(
                    session=session,
                    webhook_id=webhook_id,
                    owner=self.owner,
                    now=now,
                    lease=self.lease,
                ):
                    session.commit()
                    return webhook_id
            session.commit()
        return None

    def _send_subscription(self, webhook_id: str) -> int:
        """Send a leased subscription's due deliveries in order, until one fails."""
        attempts = 0
        try:
            while not self.stopping.is_set():
                with self.sessions() as session:
                    now = utcnow()
                    held = queue.claim(
                        session=session,
                        webhook_id=webhook_id,
                        owner=self.owner,
                        now=now,
                        lease=self.lease,
                    )
                    outgoing = (
                        queue.next_delivery(
                            session=session, webhook_id=webhook_id, due_by=self._due(now)
                        )
                        if held
                        else None
                    )
                    session.commit()
                if outgoing is None:
                    break
                attempts += 1
                if self._attempt(outgoing) != "delivered":
                    break
        finally:
            with self.sessions() as session:
                queue.release(session=session, webhook_id=webhook_id, owner=self.owner)
                session.commit()
        return attempts

    def _attempt(self, outgoing: queue.Outgoing) -> str:
        """Send one delivery and record its outcome; return the outcome."""
        attempted_at = utcnow()
        result = send(
            outgoing,
            allow_hosts=self.settings["SKILLPATH_WEBHOOK_ALLOW_HOSTS"],
            timeout=self.settings["SKILLPATH_WEBHOOK_TIMEOUT"],
        )
        with self.sessions() as session:
            outcome = queue.record_attempt(
                session=session,
                delivery_id=outgoing.delivery_id,
                attempted_at=attempted_at,
                duration_ms=result.duration_ms,
                status_code=result.status_code,
                error=result.error,
                max_attempts=self.settings["SKILLPATH_WEBHOOK_MAX_ATTEMPTS"],
                first_backoff=self.settings["SKILLPATH_WEBHOOK_RETRY_SECONDS"],
            )
            session.commit()
        count_webhook_delivery(outgoing.event_type, outcome)
        log.info(
            "webhook %s %s to %s: %s",
            outgoing.event_type,
            outgoing.message_id,
            outgoing.webhook_id,
            outcome,
            extra={"status": result.status_code, "latency_ms": result.duration_ms},
        )
        return outcome
