"""Sending hostile requests to a live server and holding each answer to the service's promises.

A refusal must be problem+json with a ``detail`` (naming the field, for a 422) and leave every
table as it was; an acceptance must read back as sent. The tables are read behind the service's
back, read-only; a counter of committed writes (SQLite's ``data_version``, PostgreSQL's next
transaction id) tells when nothing can have changed, so most refusals cost no full read.
"""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.reliability.conftest import HOST, Answer, LiveServer

DEFAULT_BODY_LIMIT = 10 * 1024 * 1024
# Fields a GET does not give back: they steer how a write is read and are not stored.
NOT_STORED = {"resolve"}


class Tables:
    """The live server's tables, read through a read-only connection of their own."""

    def __init__(self, url: str):
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
            # One connection for the whole run: data_version counts other connections' commits.
            self.conn = sqlite3.connect(f"file:{parsed.database}?mode=ro", uri=True)
            self.conn.isolation_level = None
            names = self._all("SELECT name FROM sqlite_master WHERE type = 'table'")
            self.names = sorted({row[0] for row in names} - {"alembic_version"})
        else:
            self.engine = create_engine(
                url,
                isolation_level="AUTOCOMMIT",
                connect_args={"options": "-c default_transaction_read_only=on"},
            )
            self.conn = self.engine.connect()
            self.names = sorted(set(inspect(self.conn).get_table_names()) - {"alembic_version"})

    def _all(self, sql: str) -> list[tuple]:
        if self.sqlite:
            return self.conn.execute(sql).fetchall()
        return [tuple(row) for row in self.conn.execute(text(sql))]

    def writes(self) -> int:
        """Return a number that moves whenever anyone may have written to the database."""
        if self.sqlite:
            return self._all("PRAGMA data_version")[0][0]
        # Every transaction that writes or locks a row gets an id; reads get none.
        return int(self._all("SELECT pg_snapshot_xmax(pg_current_snapshot())::text")[0][0])

    def rows(self) -> dict[str, list[tuple]]:
        """Return every row of every table, in a stable order."""
        return {name: sorted(self._all(f'SELECT * FROM "{name}"'), key=repr) for name in self.names}

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()
        if not self.sqlite:
            self.engine.dispose()


@dataclass
class Tally:
    """What the corpus sent and saw on one database, for one ``part`` of it (a test module)."""

    database: str
    part: str = "hostile input"
    tried: int = 0
    statuses: Counter = field(default_factory=Counter)
    refusals_checked: int = 0
    round_trips: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        """Count the 5xx answers (599 stands for no answer at all)."""
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        """Say the figures in one line."""
        accepted = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        return (
            f"{self.part} [{self.database}]: {self.tried} requests, {self.server_errors} 5xx, "
            f"{self.refusals_checked} refusals with nothing stored, {accepted} accepted "
            f"({self.round_trips} records read back as sent), {len(self.problems)} problems"
        )


def names(error_field: str, field_: str) -> bool:
    """Tell whether a problem's ``errors[].field`` is the field, inside it, or encloses it."""
    if error_field == field_:
        return True
    inner, outer = sorted((error_field, field_), key=len, reverse=True)
    return bool(outer) and inner.startswith((outer + ".", outer + "["))


def name_key(text_: str) -> str:
    """Fold a name as DESIGN.md matches skill names and aliases: any case, any spacing."""
    return " ".join(unicodedata.normalize("NFKC", text_).casefold().split())


def differs(
    sent: Any, got: Any, where: str = "", same_skill: Callable[[str, str], bool] | None = None
) -> str | None:
    """Say where ``got`` is not what was ``sent`` (fields a GET adds are fine), or None.

    Strings compare code point for code point. A skill reference may come back as the id of
    the skill it named by name or alias, which ``same_skill(sent, got)`` decides.
    """
    if isinstance(sent, dict):
        if not isinstance(got, dict):
            return f"{where or '(body)'}: sent an object, got {got!r:.80}"
        for name, value in sent.items():
            if name in NOT_STORED:
                continue
            inner = f"{where}.{name}" if where else name
            if name not in got:
                return f"{inner}: missing"
            if name == "skill" and same_skill and isinstance(value, str) and value != got[name]:
                if not same_skill(value, got[name]):
                    return f"{inner}: sent {value!r:.60}, got skill {got[name]!r:.60}"
                continue
            found = differs(value, got[name], inner, same_skill)
            if found:
                return found
        if where.endswith("external_ids") and set(got) != set(sent):
            return f"{where}: keys {sorted(got)} != sent {sorted(sent)}"
        return None
    if isinstance(sent, list):
        if not isinstance(got, list) or len(got) != len(sent):
            return f"{where}: sent {sent!r:.80}, got {got!r:.80}"
        for n, (one, other) in enumerate(zip(sent, got, strict=True)):
            found = differs(one, other, f"{where}[{n}]", same_skill)
            if found:
                return found
        return None
    if isinstance(sent, bool) or sent is None:
        same = got is sent
    elif isinstance(sent, int | float):
        same = isinstance(got, int | float) and not isinstance(got, bool) and got == sent
    else:
        same = type(got) is type(sent) and got == sent
    return None if same else f"{where}: sent {sent!r:.60}, got {got!r:.60}"


class Corpus:
    """Sends hostile requests to a live server and checks each answer against its tables."""

    def __init__(self, live: LiveServer, tables: Tables, tally: Tally):
        self.live = live
        self.tables = tables
        self.tally = tally
        self.counter = 0
        self.resync()

    def fresh(self) -> int:
        """Return a number no earlier request used, for ids and names."""
        self.counter += 1
        return self.counter

    def resync(self) -> None:
        """Take the tables as they are now as what later refusals must leave alone."""
        self.writes = self.tables.writes()
        self.state = self.tables.rows()

    def problem(self, what: str, message: str) -> None:
        """Note a broken promise; the test fails at its end, naming the first ones."""
        self.tally.problems.append(f"{what}: {message}")

    def problems_since(self, start: int) -> str:
        """Describe the problems noted since ``start``, the first ones in full."""
        found = self.tally.problems[start:]
        return f"{len(found)} problems:\n" + "\n".join(found[:40])

    def request(
        self,
        method: str,
        path: str,
        *,
        raw: bytes | None = None,
        content_type: str | None = "application/json",
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """Send a request that is not itself part of the corpus (setup, read-back)."""
        sent = dict(headers or {})
        if raw is not None and content_type is not None:
            sent["Content-Type"] = content_type
        return self.live.request(method, path, raw=raw, headers=sent)

    def send(self, what: str, method: str, path: str, **kwargs: Any) -> Answer | None:
        """Send one hostile request and count it; None if no HTTP answer came back."""
        return self.count(what, lambda: self.request(method, path, **kwargs))

    def count(self, what: str, call: Callable[[], Answer]) -> Answer | None:
        """Make one hostile request with ``call`` and count its answer."""
        self.tally.tried += 1
        try:
            answer = call()
        except (OSError, http.client.HTTPException, ValueError) as exc:
            self.tally.statuses[599] += 1
            self.problem(what, f"no usable answer: {exc!r}")
            self.resync()
            return None
        self.tally.statuses[answer.status] += 1
        if answer.status >= 500:
            self.problem(what, f"{answer.status}: {str(answer.body)[:300]}")
        return answer

    def refused(self, what: str, answer: Answer, fields: tuple[str, ...] = ()) -> None:
        """Check a refusal: a problem that says why and names the field, and nothing stored."""
        if not 400 <= answer.status < 500:
            self.problem(what, f"answered {answer.status} where a refusal was due")
        self.check_problem(what, answer, fields)
        self.unchanged(what)

    def check_problem(self, what: str, answer: Answer, fields: tuple[str, ...] = ()) -> None:
        """Check a 4xx answer is problem+json with a detail, naming ``fields`` if a 422."""
        if not 400 <= answer.status < 500:
            return
        body = answer.body
        if not answer.headers.get("content-type", "").startswith("application/problem+json"):
            self.problem(what, f"{answer.status} is {answer.headers.get('content-type')!r}")
            return
        if not isinstance(body, dict) or body.get("status") != answer.status:
            self.problem(what, f"{answer.status} problem body is {body!r:.200}")
            return
        if not isinstance(body.get("detail"), str) or not body["detail"]:
            self.problem(what, f"{answer.status} problem has no detail: {body!r:.200}")
        if answer.status == 405 and "allow" not in answer.headers:
            self.problem(what, "405 without Allow")
        if answer.status == 422 and fields:
            named = [e.get("field", "") for e in body.get("errors") or []]
            if not any(names(e, f) for e in named for f in fields):
                self.problem(what, f"422 names {named}, not {list(fields)}: {body['detail']:.120}")

    def unchanged(self, what: str) -> None:
        """Check the database holds what it held before the request."""
        self.tally.refusals_checked += 1
        writes = self.tables.writes()
        if writes == self.writes:
            return  # nobody wrote anything: the rows are the same
        after = self.tables.rows()
        if after != self.state:
            changed = [t for t in self.tables.names if after[t] != self.state[t]]
            self.problem(what, f"the database changed ({', '.join(changed)})")
        self.writes, self.state = writes, after

    def same_skill(self, sent: str, skill_id: str) -> bool:
        """Tell whether ``sent`` names the skill ``skill_id`` by id, name or alias."""
        got = self.request("GET", f"/v1/skills/{quote(skill_id, safe='')}")
        if got.status != 200:
            return False
        known = [got.body["id"], got.body["name"], *got.body["aliases"]]
        return sent == skill_id or name_key(sent) in {name_key(name) for name in known}

    def stored(self, what: str, path: str, sent: Any) -> None:
        """Check the record at ``path`` reads back as ``sent``."""
        got = self.request("GET", path)
        if got.status != 200:
            self.problem(what, f"accepted, but GET {path} answers {got.status}")
        else:
            self.tally.round_trips += 1
            difference = differs(sent, got.body, same_skill=self.same_skill)
            if difference:
                self.problem(what, f"reads back differently: {difference}")
        self.resync()


def framed(live: LiveServer, method: str, path: str, chunks: list[bytes]) -> Answer:
    """Send a body in chunked transfer coding, ``chunks`` framed as they are, and read the answer.

    The answer is read after everything is sent; the server has read it all by then (it must
    read up to the limit before it can refuse), so no reset loses the answer.
    """
    head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{live.port}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in live.admin.items()]
    head += ["Content-Type: application/json", "Transfer-Encoding: chunked"]
    with socket.create_connection((HOST, live.port), timeout=60) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + b"".join(chunks))
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        data = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
    body: Any = json.loads(data) if "json" in headers.get("content-type", "") else data
    return Answer(response.status, headers, body)


def chunk(data: bytes) -> bytes:
    """Frame ``data`` as one chunk."""
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def over_the_limit(live: LiveServer) -> list[bytes]:
    """Return the chunks of a body one byte over the live server's limit, 64 KiB at a time."""
    limit = int(live.env.get("SKILLPATH_MAX_BODY_BYTES", DEFAULT_BODY_LIMIT))
    body = b"[" + b" " * limit
    return [chunk(body[at : at + 65536]) for at in range(0, len(body), 65536)] + [b"0\r\n\r\n"]


def declared_over_the_limit(live: LiveServer, method: str, path: str) -> Answer:
    """Declare a body one byte over the limit with Content-Length; read the answer first.

    The service may refuse on the header alone; sending the body only after its answer keeps
    a reset from losing that answer.
    """
    limit = int(live.env.get("SKILLPATH_MAX_BODY_BYTES", DEFAULT_BODY_LIMIT))
    sent = {"Content-Type": "application/json", "Content-Length": str(limit + 1)}
    head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{live.port}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in {**live.admin, **sent}.items()]
    with socket.create_connection((HOST, live.port), timeout=60) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        response = http.client.HTTPResponse(sock, method=method)
        response.begin()
        data = response.read()
        headers = {k.lower(): v for k, v in response.getheaders()}
    body: Any = json.loads(data) if "json" in headers.get("content-type", "") else data
    return Answer(response.status, headers, body)
