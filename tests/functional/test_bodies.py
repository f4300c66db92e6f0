"""Hostile request bodies: a clear 400 or 413 problem, nothing stored, no 500."""

from __future__ import annotations

import io
import json

import pytest

from tests.functional.support import assert_problem, skill_body

JSON = {"Content-Type": "application/json"}
BAD_JSON = [
    ("nested 1,000 deep", "[" * 1000 + "]" * 1000, "nests deeper"),
    ("nested object", '{"name": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}", "nests deeper"),
    ("unpaired high surrogate", '{"id": "s1", "name": "\\ud800x"}', "surrogate"),
    ("unpaired low surrogate", '{"id": "s1", "name": "a\\udc00"}', "surrogate"),
    (
        "surrogate in a key",
        '{"id": "s1", "name": "S", "external_ids": {"\\ud800": "x"}}',
        "surrogate",
    ),
    ("NaN", '{"id": "s1", "name": "S", "weight": NaN}', "NaN"),
    ("Infinity", '{"id": "s1", "name": "S", "weight": -Infinity}', "-Infinity"),
    ("5,001 digits", '{"id": "s1", "name": 1' + "0" * 5000 + "}", "digits"),
]


@pytest.mark.parametrize(
    ("body", "named"), [(b, n) for _, b, n in BAD_JSON], ids=[c[0] for c in BAD_JSON]
)
def test_hostile_json_is_a_400_problem_and_stores_nothing(client, admin, body, named):
    problem = assert_problem(client.post("/v1/skills", data=body, headers={**admin, **JSON}), 400)
    assert named in problem["detail"]
    assert client.get("/v1/skills", headers=admin).get_json() == []


@pytest.mark.parametrize("path", ["/v1/skills", "/v1/skills/import", "/v1/learning-paths"])
def test_deep_nesting_is_refused_on_every_json_endpoint(client, admin, path):
    assert_problem(client.post(path, data="[" * 5000 + "]" * 5000, headers={**admin, **JSON}), 400)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_surrogate_escape_is_refused_in_every_encoding_json_allows(client, admin, encoding):
    # The check for lone surrogates runs only where the body holds a backslash, which in
    # each of these encodings is a 0x5C byte beside zero bytes.
    body = '{"id": "s1", "name": "\\ud800x"}'.encode(encoding)
    problem = assert_problem(client.post("/v1/skills", data=body, headers={**admin, **JSON}), 400)
    assert "surrogate" in problem["detail"]
    assert client.get("/v1/skills", headers=admin).get_json() == []


def test_paired_surrogates_are_ordinary_text(client, admin):
    body = '{"id": "emoji", "name": "Rocket \\ud83d\\ude80"}'
    answer = client.post("/v1/skills", data=body, headers={**admin, **JSON})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["name"] == "Rocket \U0001f680"


def _chunked(client, path, payload: bytes, headers):
    return client.post(
        path,
        input_stream=io.BytesIO(payload),
        headers={**headers, **JSON, "Transfer-Encoding": "chunked"},
        # gunicorn says so for chunked bodies; the test client does not by itself.
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_chunked_body_over_the_limit_is_a_413(make_app, admin):
    client = make_app(SKILLPATH_MAX_BODY_BYTES=1000).test_client()
    payload = json.dumps([skill_body(f"s{n}") for n in range(100)]).encode()
    problem = assert_problem(_chunked(client, "/v1/skills/import", payload, admin), 413)
    assert "1000 bytes" in problem["detail"]
    assert client.get("/v1/skills", headers=admin).get_json() == []


class _BadFraming(io.BytesIO):
    """A server's body stream that meets a chunk it cannot parse."""

    def read(self, size=-1):
        raise ValueError("Invalid chunk size: b'zz'")


def test_malformed_chunked_body_is_a_400(client, admin):
    answer = client.post(
        "/v1/skills/import",
        input_stream=_BadFraming(),
        headers={**admin, **JSON, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert "malformed" in assert_problem(answer, 400)["detail"]


def test_chunked_body_within_the_limit_is_read_whole(client, admin):
    payload = json.dumps([skill_body(f"s{n}") for n in range(100)]).encode()
    answer = _chunked(client, "/v1/skills/import", payload, admin)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["created"] == 100
