"""Hostile requests to the OAuth token endpoint: a form, answered with OAuth's own errors.

Every form field of a token request gets hostile values, is repeated or left out, and whole
bodies of other media types are sent: none may issue a token (but for fewer scopes) and each
refusal is an OAuth error or a problem, with every table of the database as it was.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest

from tests.reliability import hostile
from tests.reliability.conftest import Answer
from tests.reliability.corpus import Corpus
from tests.reliability.hostile_corpus import assert_no_problems
from tests.reliability.hostile_fixtures import *  # noqa: F403 - the fixtures its tests take

pytestmark = pytest.mark.reliability

# -- the OAuth token endpoint: a form, and OAuth's own errors -------------------------------------

TOKEN_FIELDS = ("grant_type", "scope", "client_id", "client_secret")
# Form values already percent-encoded: bytes no UTF-8 text holds, and NUL.
ENCODED = [
    ("encoded lone surrogate", "%ED%A0%80"),
    ("invalid UTF-8", "%FF%FE"),
    ("encoded NUL", "a%00b"),
    ("encoded CRLF", "a%0D%0Ab"),
]
TOKEN_BODIES = [
    ("empty", b"", "application/x-www-form-urlencoded"),
    ("JSON", b'{"grant_type": "client_credentials"}', "application/json"),
    ("text/plain", b"grant_type=client_credentials", "text/plain"),
    ("no media type", b"grant_type=client_credentials", None),
    ("bare ampersands", b"&&&=&=", "application/x-www-form-urlencoded"),
    ("10,000 parameters", b"&".join(b"p%d=1" % n for n in range(10_000)),
     "application/x-www-form-urlencoded"),
]  # fmt: skip


def oauth_refused(corpus: Corpus, what: str, answer: Answer) -> None:
    """Check a refused token request: an OAuth error (or a problem) and no token stored."""
    if not 400 <= answer.status < 500:
        corpus.problem(what, f"answered {answer.status} where a refusal was due")
    body = answer.body
    if answer.headers.get("content-type", "").startswith("application/problem+json"):
        corpus.check_problem(what, answer)
    elif not (isinstance(body, dict) and isinstance(body.get("error"), str)):
        corpus.problem(what, f"{answer.status} is no OAuth error: {body!r:.200}")
    corpus.unchanged(what)


def test_hostile_token_requests_get_oauth_errors_and_no_token(corpus: Corpus, fixed_records):
    """Every form field of a token request x hostile values, repeated, missing, and bad bodies."""
    start = len(corpus.tally.problems)
    client = corpus.request(
        "POST", "/v1/oauth-clients", raw=b'{"name": "token corpus", "scopes": ["recommend"]}'
    ).body
    valid = {
        "grant_type": "client_credentials",
        "scope": "recommend",
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }
    form = "application/x-www-form-urlencoded"
    # The valid request gets a token, so each case below is refused for what it spoils.
    issued = corpus.request(
        "POST", "/oauth/token", raw=urlencode(valid).encode(), content_type=form
    )
    assert issued.status == 200 and issued.body["scope"] == "recommend", issued.body
    corpus.resync()
    cases: list[tuple[str, bytes, str | None]] = list(TOKEN_BODIES)
    for name in TOKEN_FIELDS:
        others = "&".join(f"{k}={quote(v, safe='')}" for k, v in valid.items() if k != name)
        for label, value in hostile.STRINGS + hostile.IDS:
            if isinstance(value, str):
                cases.append((f"{name}={label}", f"{others}&{name}={quote(value)}".encode(), form))
        for label, encoded in ENCODED:
            cases.append((f"{name}={label}", f"{others}&{name}={encoded}".encode(), form))
        cases.append((f"{name} missing", others.encode(), form))
        cases.append((f"{name} twice", f"{others}&{name}=x&{name}=y".encode(), form))
    for label, raw, content_type in cases:
        what = f"POST /oauth/token {label}"
        answer = corpus.send(what, "POST", "/oauth/token", raw=raw, content_type=content_type)
        if answer is None:
            continue
        if answer.status == 200:
            # Only the scope may be spoiled and still leave a valid request: fewer scopes.
            granted = set(answer.body.get("scope", "").split())
            if not label.startswith("scope") or not granted <= {"recommend"}:
                corpus.problem(what, f"a token was issued: {answer.body!r:.200}")
            corpus.resync()
        else:
            oauth_refused(corpus, what, answer)
    assert_no_problems(corpus, start)
