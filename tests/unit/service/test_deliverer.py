"""Standard Webhooks signing and the backoff between attempts."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.webhook_queue import MAX_BACKOFF, backoff
from service.deliverer import signature
from tests.functional.webhook_receiver import verify

# The reference vector published with the Standard Webhooks specification.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TIMESTAMP = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_signatures_match_the_specification_s_reference_vector():
    assert signature(VECTOR_SECRET, VECTOR_ID, VECTOR_TIMESTAMP, VECTOR_BODY) == VECTOR_SIGNATURE


def test_the_test_receiver_s_verifier_accepts_the_vector_and_nothing_else(monkeypatch):
    monkeypatch.setattr("time.time", lambda: VECTOR_TIMESTAMP + 10.0)
    headers = {
        "webhook-id": VECTOR_ID,
        "webhook-timestamp": str(VECTOR_TIMESTAMP),
        "webhook-signature": "v1,bm90LWl0 " + VECTOR_SIGNATURE,
    }
    assert verify(VECTOR_SECRET, headers, VECTOR_BODY)
    assert not verify(VECTOR_SECRET, headers, VECTOR_BODY.replace(b"2", b"3"))
    assert not verify(VECTOR_SECRET, {**headers, "webhook-id": "msg_other"}, VECTOR_BODY)
    monkeypatch.setattr("time.time", lambda: VECTOR_TIMESTAMP + 3600.0)
    assert not verify(VECTOR_SECRET, headers, VECTOR_BODY)


@pytest.mark.parametrize(
    ("attempts", "seconds"),
    [
        (1, 10),
        (2, 20),
        (3, 40),
        (8, 1280),
        (40, MAX_BACKOFF.total_seconds()),
        (500, MAX_BACKOFF.total_seconds()),
    ],
)
def test_the_wait_doubles_after_each_failure_up_to_a_ceiling(attempts, seconds):
    assert backoff(attempts, 10) == dt.timedelta(seconds=seconds)
