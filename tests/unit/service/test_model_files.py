"""Models saved to a file and mapped back: the same answers, from read-only shared arrays."""

from __future__ import annotations

import gc
import os
import threading
import time
import weakref

import numpy as np
import pytest

from benchmarks.bench_recommender import make_items, make_profile, make_roles, make_skills
from recommender import CatalogIndex, PathPlanner, Ranker
from recommender.types import Constraints
from service import model_files
from service.fitted import ItemSummaries


@pytest.fixture(scope="module")
def fitted():
    """Return a generated catalog of 2,000 items, its fitted models and some profiles."""
    rng = np.random.default_rng(7)
    skills = make_skills(rng, 300)
    items = make_items(rng, 2_000, 300)
    roles = make_roles(rng, 5, 300)
    index = CatalogIndex().fit(skills, items)
    models = {"index": index, "ranker": Ranker().fit(index), "planner": PathPlanner().fit(index)}
    profiles = [(make_profile(rng, role, items), role) for role in roles]
    return models, profiles


def _answers(models, profiles) -> list:
    constraints = Constraints(max_hours=80, budget=2000)
    answers = []
    for profile, role in profiles:
        ranked = models["ranker"].rank(profile, role, limit=20, constraints=constraints)
        answers.append([(r.item_id, r.score, r.similarity, r.ready) for r in ranked])
        plan = models["planner"].plan(profile, role, constraints)
        answers.append((plan.items, plan.closed, plan.optimal, plan.total_hours))
    return answers


def test_mapped_models_answer_as_the_fitted_ones(fitted, tmp_path):
    models, profiles = fitted
    path = tmp_path / "m.models"
    model_files.save(models, path)
    loaded = model_files.load(path)
    index = loaded["index"]
    # The large arrays are views of the read-only map, not copies on this process's heap.
    for array in (index.taught_.data, index.taught_csc_.indices, index.item_ids_, index.hours_):
        assert not array.flags.writeable and not array.flags.owndata
    assert loaded["ranker"].index_ is index and loaded["planner"].index_ is index
    assert index.item_ids_.tolist() == models["index"].item_ids_.tolist()
    assert index.item_index_["item-000042"] == models["index"].item_index_["item-000042"]
    assert list(index.item_texts_) == list(models["index"].item_texts_)
    assert _answers(loaded, profiles) == _answers(models, profiles)


def test_a_file_of_something_else_is_refused(tmp_path):
    path = tmp_path / "x.models"
    path.write_bytes(b"not a models file at all, but long enough")
    with pytest.raises(ValueError, match="not a models file"):
        model_files.load(path)


def test_racing_processes_build_once_and_load_the_same(tmp_path):
    writes = []

    def write(path):
        writes.append(path)
        time.sleep(0.2)  # long enough for every other caller to reach the lock
        model_files.save({"values": np.arange(10_000)}, path)

    results = [None] * 4

    def call(k):
        results[k] = model_files.load_or_build(tmp_path, "catalog-1-ab", write)

    threads = [threading.Thread(target=call, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(writes) == 1
    assert all(np.array_equal(r["values"], np.arange(10_000)) for r in results)
    # No temporary file nor lock is left behind, only the models file.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog-1-ab.models"]


def test_files_of_other_versions_go_once_a_newer_one_has_been_there_a_while(tmp_path):
    def write(path):
        model_files.save({"n": 1}, path)

    model_files.load_or_build(tmp_path, "catalog-1-aa", write)
    model_files.load_or_build(tmp_path, "catalog-2-bb", write)
    # Another worker may still be about to load version 1: a recent file stays.
    assert {p.name for p in tmp_path.iterdir()} == {"catalog-1-aa.models", "catalog-2-bb.models"}
    old = time.time() - model_files.KEEP_SECONDS - 1
    os.utime(tmp_path / "catalog-1-aa.models", (old, old))
    model_files.load_or_build(tmp_path, "catalog-3-cc", write)
    assert {p.name for p in tmp_path.iterdir()} == {"catalog-2-bb.models", "catalog-3-cc.models"}


def test_a_damaged_file_is_built_again(tmp_path):
    (tmp_path / "catalog-1-ab.models").write_bytes(model_files.MAGIC + b"\0" * 40)
    writes = []

    def write(path):
        writes.append(path)
        model_files.save({"n": 2}, path)

    assert model_files.load_or_build(tmp_path, "catalog-1-ab", write) == {"n": 2}
    assert len(writes) == 1


def test_item_summaries_survive_the_file_and_keep_few(fitted, tmp_path, monkeypatch):
    monkeypatch.setattr(ItemSummaries, "MEMO_SIZE", 100)
    models, _ = fitted
    index = models["index"]
    rng = np.random.default_rng(3)
    summaries = ItemSummaries(index, make_items(rng, 2_000, 300))
    first = summaries["item-000042"]
    assert summaries["item-000042"] is first  # made once, then kept
    path = tmp_path / "s.models"
    model_files.save({"items": summaries}, path)
    loaded = model_files.load(path)["items"]
    assert loaded["item-000042"] == first
    for item_id in list(loaded)[:150]:
        assert loaded[item_id].id == item_id
    assert loaded._made.cache_info().currsize == 100


def test_item_summaries_are_freed_with_their_last_reference(fitted):
    models, _ = fitted
    summaries = ItemSummaries(models["index"], make_items(np.random.default_rng(3), 2_000, 300))
    summaries["item-000042"]
    gone = weakref.ref(summaries)
    gc.disable()  # only reference counting may free it
    try:
        del summaries
        assert gone() is None  # no reference cycle waits for the collector
    finally:
        gc.enable()
