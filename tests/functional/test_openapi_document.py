"""The OpenAPI document serves code generators: names, summaries, examples, descriptions."""

from __future__ import annotations

import re

import pytest

from service.openapi import operation_id

METHODS = ("get", "put", "post", "patch", "delete")
CAMEL_VERB_NOUN = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)+$")


@pytest.fixture
def spec(client) -> dict:
    """Return the served OpenAPI document."""
    return client.get("/openapi.json").get_json()


def operations(spec: dict):
    """Yield ``(method, path, operation)`` for every operation of the document."""
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def test_every_operation_has_a_unique_camel_case_operation_id(spec):
    ids = [op.get("operationId") for _, _, op in operations(spec)]
    assert all(ids), [(m, p) for m, p, op in operations(spec) if not op.get("operationId")]
    assert len(ids) == len(set(ids))
    assert [i for i in ids if not CAMEL_VERB_NOUN.match(i)] == []


def test_every_operation_has_a_summary(spec):
    assert [(m, p) for m, p, op in operations(spec) if not op.get("summary")] == []


def test_every_request_body_and_successful_json_answer_has_an_example(spec):
    missing = []
    for method, path, op in operations(spec):
        for media, content in op.get("requestBody", {}).get("content", {}).items():
            if media != "text/csv" and "example" not in content:
                missing.append((method, path, "request", media))
        for status, response in op["responses"].items():
            for media, content in response.get("content", {}).items():
                if status.startswith("2") and "example" not in content:
                    missing.append((method, path, status, media))
    assert missing == []
    assert any(op.get("requestBody") for _, _, op in operations(spec))


def test_every_schema_has_a_description(spec):
    schemas = spec["components"]["schemas"]
    assert [name for name, schema in schemas.items() if not schema.get("description")] == []
    assert schemas["Skill"]["description"] == "A skill of the taxonomy."
    assert schemas["ItemPatch"]["description"].startswith("Top-level fields to change")


def test_if_match_is_required_to_change_or_delete_a_stored_record(spec):
    for method, path, op in operations(spec):
        names = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "header"}
        # Feedback records and share links never change, so taking one back races with nothing.
        immutable = "/feedback/" in path or "/share-links/" in path
        if (
            method in ("patch", "delete")
            and not immutable
            and path.startswith(("/v1/skills/", "/v1/items/", "/v1/roles/", "/v1/employees/"))
        ):
            assert names["If-Match"]["required"] is True, (method, path)
        if method == "put":
            assert names["If-Match"]["required"] is False, (method, path)


def test_links_lead_to_operations_and_fill_their_parameters(spec):
    """Every link names an operation, sets only its parameters, and all of its path ones."""
    by_id = {op["operationId"]: (path, op) for _, path, op in operations(spec)}
    followed = set()
    for method, path, op in operations(spec):
        for status, response in op["responses"].items():
            for name, link in response.get("links", {}).items():
                target_path, target = by_id[link["operationId"]]
                declared = {(p["in"], p["name"]) for p in target.get("parameters", [])}
                in_path = {("path", n) for n in re.findall(r"\{(\w+)\}", target_path)}
                parameters = link["parameters"]
                where = {
                    tuple(key.split(".", 1)) if "." in key else ("path", key) for key in parameters
                }
                assert where <= declared | in_path, (method, path, name)
                assert in_path <= where, (method, path, name)
                for expression in parameters.values():
                    assert re.match(r"^\$(response\.(body#/|header\.)|request\.path\.)", expression)
                if any(p.get("name") == "If-Match" for p in target.get("parameters", [])):
                    assert parameters.get("header.If-Match") == "$response.header.ETag", name
                assert status.startswith("2"), (method, path, status)
                followed.add(link["operationId"])
    # Each record's page can be reached from an answer that names the record.
    for reached in (
        "getSkill",
        "getItem",
        "getRole",
        "getEmployee",
        "getEmployeePlan",
        "getWebhook",
    ):
        assert reached in followed
    assert {"revokeApiKey", "revokeOauthClient", "deleteEmployeeFeedback"} <= followed


def test_examples_of_writes_are_what_the_api_takes(client, admin, spec):
    # The curated examples name skills, roles and items: store those, then send each example.
    client.put("/v1/skills/linux", json={"name": "Linux"}, headers=admin)
    client.put("/v1/skills/aws", json={"name": "AWS"}, headers=admin)
    for method, path in (
        ("put", "/v1/skills/{skill_id}"),
        ("put", "/v1/roles/{role_id}"),
        ("put", "/v1/items/{item_id}"),
    ):
        example = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
        url = path.split("{")[0] + "example"
        response = client.put(url, json=example["example"], headers=admin)
        assert response.status_code == 201, (path, response.get_json())
    # An xAPI statement's example is one an LRS could forward (its actor matches no one here).
    content = spec["paths"]["/v1/xapi/statements"]["post"]["requestBody"]["content"]
    response = client.post(
        "/v1/xapi/statements", json=content["application/json"]["example"], headers=admin
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["stored"] == 1


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/v1/skills", "listSkills"),
        ("post", "/v1/skills", "createSkill"),
        ("get", "/v1/skills/{skill_id}", "getSkill"),
        ("put", "/v1/skills/{skill_id}", "upsertSkill"),
        ("patch", "/v1/items/{item_id}", "updateItem"),
        ("post", "/v1/roles/import", "importRoles"),
        ("get", "/v1/employees/{employee_id}/plans", "listEmployeePlans"),
        ("post", "/v1/employees/{employee_id}/plans", "createEmployeePlan"),
        ("get", "/v1/employees/{employee_id}/plans/{plan_id}", "getEmployeePlan"),
        ("get", "/v1/roles/{role_id}/candidates", "listRoleCandidates"),
        ("get", "/v1/employees/{employee_id}/mentors", "listEmployeeMentors"),
        ("get", "/v1/analytics/kpis", "getWorkforceKpis"),
    ],
)
def test_operation_ids_are_derived_from_method_and_path(method, path, expected):
    assert operation_id(method, path) == expected
