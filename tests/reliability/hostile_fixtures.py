"""The hostile corpus's fixtures: a live server a test module, seeded, with the module's tally.

A test module of the corpus takes them all with ``from tests.reliability.hostile_fixtures
import *``: pytest finds fixtures by name in the module, and a module-scoped fixture so
imported runs once per module, so each module has a server and a database of its own (as
every reliability module does) and reports its own figures.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import DATABASES, report_figure
from tests.reliability import loop_corpus
from tests.reliability.conftest import LiveServer, serve
from tests.reliability.corpus import Corpus, Tables, Tally
from tests.reliability.hostile import dumps
from tests.reliability.hostile_corpus import BUILDERS, RESOURCES, SEED, without_id

__all__ = ["corpus", "document", "fixed_records", "live", "loop_records"]


@pytest.fixture(scope="module", params=DATABASES)
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A live server for this module, logging only failures: refusals here number thousands."""
    with serve(
        request.param, tmp_path_factory.mktemp("live"), SKILLPATH_LOG_LEVEL="ERROR"
    ) as server:
        yield server


@pytest.fixture(scope="module")
def corpus(live: LiveServer, request: pytest.FixtureRequest) -> Iterator[Corpus]:
    """Seed the live server with the records hostile bodies refer to; yield the corpus."""
    for kind, rows in SEED.items():
        answer = live.request("POST", f"/v1/{kind}/import", body=rows)
        assert answer.status == 200, answer.body
    tables = Tables(live.database)
    part = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_").replace("_", " ")
    tally = Tally(make_url(live.database).get_backend_name(), part)
    try:
        yield Corpus(live, tables, tally)
    finally:
        tables.close()
        report_figure(request.config, tally.summary())


@pytest.fixture(scope="module")
def document(live: LiveServer) -> dict[str, Any]:
    """Return the live server's OpenAPI document."""
    return live.request("GET", "/openapi.json").body


@pytest.fixture(scope="module")
def fixed_records(corpus: Corpus) -> None:
    """Store the records PUT and PATCH replace, and those DELETE removes."""
    for kind in RESOURCES:
        for ident in (f"h.{kind}.fixed", f"h.{kind}.doomed"):
            body = without_id(BUILDERS[kind](corpus.fresh()))
            answer = corpus.request("PUT", f"/v1/{kind}/{ident}", raw=dumps(body).encode())
            assert answer.status == 201, answer.body
    corpus.resync()


@pytest.fixture(scope="module")
def loop_records(corpus: Corpus, fixed_records) -> dict[str, str]:
    """Store a plan, feedback, an OAuth client and webhooks; return their paths by template."""
    return loop_corpus.stored_records(corpus)
