"""Catalog writes do not stall requests: the old models answer while the new ones build."""

from __future__ import annotations

import threading
import time

import pytest

from service import engine
from service.engine import CACHE_KEY, ModelCache
from tests.functional.support import item_body

STAR = {"If-Match": "*"}


class HeldCache(ModelCache):
    """A background cache whose builds, once held, wait until the test releases them."""

    def __init__(self) -> None:
        super().__init__(background=True)
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self.built: list[int] = []

    def build(self, session, version):
        if self.hold:
            self.holding.set()
            assert self.release.wait(30), "the test never released the build"
        models = super().build(session, version)
        self.built.append(models.version)
        return models


@pytest.fixture
def cache(app) -> HeldCache:
    """Install a held background cache in the app before its first request."""
    held = HeldCache()
    app.extensions[CACHE_KEY] = held
    return held


@pytest.fixture
def catalog(seed):
    """Store one skill, an item teaching it and a role asking for it."""
    seed.skill("python", "Python")
    seed.item("py-basics", {"python": 2}, duration_hours=10, cost=0)
    seed.role("dev", {"python": 2})


def _path(client, headers) -> dict:
    body = {"profile": {"skills": []}, "target": {"role": "dev"}}
    response = client.post("/v1/learning-paths", json=body, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _wait_until_built(cache: HeldCache) -> None:
    deadline = time.monotonic() + 30
    while cache.building:
        assert time.monotonic() < deadline, "the background build did not finish"
        time.sleep(0.01)


def test_old_models_answer_during_a_rebuild_then_the_new(client, admin, cache, catalog):
    headers = admin
    first = _path(client, headers)
    old = first["model"]["catalog_version"]
    assert [s["item"]["id"] for s in first["steps"]] == ["py-basics"]
    assert cache.built == [old]  # the first request waited for the first build

    cache.hold = True
    created = client.post(
        "/v1/items",
        json=item_body("py-quick", {"python": 2}, duration_hours=1, cost=0),
        headers=admin,
    )
    assert created.status_code == 201, created.get_json()
    during = _path(client, headers)  # sees the new version: starts the build, answers old
    assert cache.holding.wait(30)
    assert during["model"]["catalog_version"] == old
    assert [s["item"]["id"] for s in during["steps"]] == ["py-basics"]
    ready = client.get("/ready").get_json()
    assert ready["catalog_version"] == old
    assert ready["index_building"] is True

    # Two more writes while the build is held: they coalesce into one more build.
    retired = client.delete("/v1/items/py-basics", headers={**admin, **STAR})
    assert retired.status_code in (200, 204)
    client.post("/v1/items", json=item_body("py-more", {"python": 1}), headers=admin)
    assert _path(client, headers)["model"]["catalog_version"] == old

    cache.release.set()
    _wait_until_built(cache)
    after = _path(client, headers)
    newest = client.get("/ready").get_json()
    assert newest["index_building"] is False
    assert after["model"]["catalog_version"] == newest["catalog_version"] > old
    assert [s["item"]["id"] for s in after["steps"]] == ["py-quick"]
    # The first build, the held one, and at most one for both later writes: a build reads
    # the newest catalog state, so on PostgreSQL (each statement sees the latest commit)
    # the held build already takes both writes in and no third one is needed.
    assert len(cache.built) in (2, 3)
    assert cache.built[-1] == newest["catalog_version"]


def test_a_failed_rebuild_keeps_the_old_models_answering(client, admin, cache, catalog, caplog):
    old = _path(client, admin)["model"]["catalog_version"]

    def broken(session, version):
        raise RuntimeError("no memory left")

    cache.build = broken
    client.post("/v1/items", json=item_body("py-quick", {"python": 2}), headers=admin)
    assert _path(client, admin)["model"]["catalog_version"] == old
    _wait_until_built(cache)
    assert _path(client, admin)["model"]["catalog_version"] == old
    assert not cache.building  # no build is retried on every request after a failure
    assert caplog.text.count("could not be rebuilt") == 1


def test_a_first_build_past_the_wait_answers_503_and_goes_on(
    client, admin, cache, catalog, monkeypatch
):
    """A worker never holds a request past the wait (gunicorn would kill it mid-request)."""
    monkeypatch.setattr(engine, "FIRST_BUILD_WAIT", 0.2)
    cache.hold = True
    body = {"profile": {"skills": []}, "target": {"role": "dev"}}
    waiting = client.post("/v1/learning-paths", json=body, headers=admin)
    assert waiting.status_code == 503
    assert waiting.get_json()["code"] == "index_not_ready"
    assert waiting.headers["Retry-After"] == str(engine.FIRST_BUILD_RETRY_AFTER)
    assert client.get("/ready").status_code == 503
    assert cache.holding.is_set() and cache.built == []  # one build, still running
    cache.release.set()
    _wait_until_built(cache)
    assert [s["item"]["id"] for s in _path(client, admin)["steps"]] == ["py-basics"]
    assert client.get("/ready").status_code == 200


def test_a_failed_first_build_answers_503_at_once(client, admin, cache, catalog):
    def broken(session, version):
        raise RuntimeError("no memory left")

    cache.build = broken
    started = time.monotonic()
    body = {"profile": {"skills": []}, "target": {"role": "dev"}}
    response = client.post("/v1/learning-paths", json=body, headers=admin)
    assert response.status_code == 503
    assert response.get_json()["code"] == "index_not_ready"
    assert time.monotonic() - started < engine.FIRST_BUILD_WAIT
