"""The OpenAPI document as code generators want it.

Every operation gets an ``operationId`` (camelCase verb and noun, unique), and an example of
its request body and of its successful answers; every schema gets a description, its
marshmallow class's docstring. Examples of the main records live in ``openapi_examples.json``
beside this module; any other example is built from the schema: its fields' own examples,
defaults and bounds. Answers that name a record carry OpenAPI ``links`` to the operations on
it (``LINKS``), which clients and stateful test generators follow.
"""

from __future__ import annotations

import copy
import inspect
import json
import re
from pathlib import Path
from typing import Any

from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance

EXAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).with_name("openapi_examples.json")).read_text(encoding="utf-8")
)
HTTP_METHODS = ("get", "put", "post", "patch", "delete")
# The operations whose names the path alone would not say well; the rest are derived.
OPERATION_IDS = {
    "get /health": "getHealth",
    "get /ready": "getReadiness",
    "get /v1/skills/resolve": "resolveSkills",
    "get /v1/employees/{employee_id}/gaps": "getEmployeeGaps",
    "get /v1/employees/{employee_id}/recommendations": "getEmployeeRecommendations",
    "get /v1/employees/{employee_id}/role-matches": "getEmployeeRoleMatches",
    "post /v1/employees/{employee_id}/learning-paths": "planEmployeeLearningPath",
    "post /v1/learning-paths": "planLearningPath",
    "delete /v1/items/{item_id}": "retireItem",
    "delete /v1/employees/{employee_id}": "eraseEmployee",
    "delete /v1/api-keys/{key_id}": "revokeApiKey",
    "delete /v1/oauth-clients/{client_id}": "revokeOauthClient",
}
# What an operation on a collection or on one of its members does, by HTTP method.
COLLECTION_VERBS = {"get": "list", "post": "create"}
MEMBER_VERBS = {"get": "get", "put": "upsert", "patch": "update", "delete": "delete"}
VARIANT_SUFFIXES = ("Put", "Import")
PLACEHOLDER_DATE = "2026-01-31"
PLACEHOLDER_TIME = "2026-01-31T09:30:00+00:00"

# Where a link finds the record it leads to: the id in the answer's body, the id in the
# request's path, the first id of a listing; a write carries the answer's ETag as If-Match,
# so it applies to the version just read.
BODY_ID = "$response.body#/id"
FIRST_ID = "$response.body#/0/id"
ETAG = {"header.If-Match": "$response.header.ETag"}


def _record_links(noun: str, ident: str, reads: str, writes: dict[str, str]) -> dict[str, Any]:
    """Return links to a record's read and its writes, the record named by ``ident``."""
    parameter = f"{noun.lower()}_id"
    links = {f"Get{noun}": {"operationId": reads, "parameters": {parameter: ident}}}
    for name, target in writes.items():
        links[name] = {"operationId": target, "parameters": {parameter: ident, **ETAG}}
    return links


def _record_family(noun: str, writes: dict[str, str], create: str | None) -> dict[str, Any]:
    """Return the links of a catalog record's operations: each answer naming it leads on."""
    reads, path = f"get{noun}", f"$request.path.{noun.lower()}_id"
    family = {
        f"list{noun}s": {"200": _record_links(noun, FIRST_ID, reads, {})},
        reads: {"200": _record_links(noun, path, reads, writes)},
    }
    if create:
        family[create] = {"201": _record_links(noun, BODY_ID, reads, writes)}
    for target in writes.values():
        if target.startswith(("upsert", "update")):
            family[target] = {
                status: _record_links(noun, path, reads, writes)
                for status in (("200", "201") if target.startswith("upsert") else ("200",))
            }
    return family


EMPLOYEE_ID = {"employee_id": "$request.path.employee_id"}
# What can be asked and recorded about an employee a link names.
ABOUT_EMPLOYEE = {
    name: {"operationId": target, "parameters": EMPLOYEE_ID}
    for name, target in {
        "GetGaps": "getEmployeeGaps",
        "GetRecommendations": "getEmployeeRecommendations",
        "GetRoleMatches": "getEmployeeRoleMatches",
        "PlanLearningPath": "planEmployeeLearningPath",
        "RecordCompletions": "createEmployeeCompletion",
        "ListHistory": "listEmployeeHistory",
        "CreatePlan": "createEmployeePlan",
        "ListPlans": "listEmployeePlans",
        "GiveFeedback": "createEmployeeFeedback",
        "ListFeedback": "listEmployeeFeedback",
    }.items()
}
EMPLOYEE_LINKS = {
    **_record_links("Employee", "$request.path.employee_id", "getEmployee", {}),
    "UpsertEmployee": {"operationId": "upsertEmployee", "parameters": {**EMPLOYEE_ID, **ETAG}},
    "UpdateEmployee": {"operationId": "updateEmployee", "parameters": {**EMPLOYEE_ID, **ETAG}},
    "EraseEmployee": {"operationId": "eraseEmployee", "parameters": {**EMPLOYEE_ID, **ETAG}},
    **ABOUT_EMPLOYEE,
}


# From evidence, plans and feedback back to the profile they are about, and what it changed.
TO_EMPLOYEE = {"GetEmployee": EMPLOYEE_LINKS["GetEmployee"]}
AFTER_EVIDENCE = {
    **TO_EMPLOYEE,
    **{name: ABOUT_EMPLOYEE[name] for name in ("ListHistory", "GetGaps", "GetRecommendations")},
}


def _plan_links(plan: str, *, etag: bool) -> dict[str, Any]:
    """Return links from an answer naming a plan: read it, replan it, abandon it (by ETag)."""
    named = {**EMPLOYEE_ID, "plan_id": plan}
    links = {
        **TO_EMPLOYEE,
        "GetPlan": {"operationId": "getEmployeePlan", "parameters": named},
        "Replan": {"operationId": "createEmployeePlanReplan", "parameters": named},
    }
    if etag:
        links["AbandonPlan"] = {
            "operationId": "deleteEmployeePlan",
            "parameters": {**named, **ETAG},
        }
    return links


# Links by the operation answering, then by its status: name -> operation and parameters.
LINKS: dict[str, dict[str, dict[str, Any]]] = {
    **_record_family(
        "Skill", {"UpsertSkill": "upsertSkill", "DeleteSkill": "deleteSkill"}, "createSkill"
    ),
    **_record_family(
        "Item",
        {"UpsertItem": "upsertItem", "UpdateItem": "updateItem", "RetireItem": "retireItem"},
        "createItem",
    ),
    **_record_family(
        "Role", {"UpsertRole": "upsertRole", "DeleteRole": "deleteRole"}, "createRole"
    ),
    "listEmployees": {
        "200": {
            "GetEmployee": {"operationId": "getEmployee", "parameters": {"employee_id": FIRST_ID}}
        }
    },
    "getEmployee": {"200": EMPLOYEE_LINKS},
    "upsertEmployee": {"200": EMPLOYEE_LINKS, "201": EMPLOYEE_LINKS},
    "updateEmployee": {"200": EMPLOYEE_LINKS},
    "createEmployeeCompletion": {"200": AFTER_EVIDENCE, "201": AFTER_EVIDENCE},
    "createEmployeePlan": {"201": _plan_links(BODY_ID, etag=False)},
    "createEmployeePlanReplan": {"201": _plan_links(BODY_ID, etag=False)},
    "getEmployeePlan": {"200": _plan_links("$request.path.plan_id", etag=True)},
    "listEmployeePlans": {"200": _plan_links(FIRST_ID, etag=False)},
    **{
        create: {
            status: {
                **TO_EMPLOYEE,
                "TakeBack": {
                    "operationId": "deleteEmployeeFeedback",
                    "parameters": {**EMPLOYEE_ID, "feedback_id": ident},
                },
            }
            for status in statuses
        }
        for create, statuses, ident in (
            ("createEmployeeFeedback", ("200", "201"), BODY_ID),
            ("listEmployeeFeedback", ("200",), FIRST_ID),
        )
    },
    "createApiKey": {
        "201": {"RevokeApiKey": {"operationId": "revokeApiKey", "parameters": {"key_id": BODY_ID}}}
    },
    "createOauthClient": {
        "201": {
            "RevokeOauthClient": {
                "operationId": "revokeOauthClient",
                "parameters": {"client_id": "$response.body#/client_id"},
            }
        }
    },
}


def describe(schema: Any) -> str:
    """Return the description of a schema: its docstring's first paragraph, in Markdown."""
    doc = inspect.getdoc(type(schema)) or ""
    text = " ".join(doc.split("\n\n")[0].split()).replace("``", "`")
    partial = getattr(schema, "partial", None)
    if partial is True or (partial and set(partial) >= set(type(schema)._declared_fields)):
        if not text.startswith("Top-level fields"):
            text = f"A JSON merge patch: any top-level fields of this. {text}"
    return text


class DocumentedMarshmallowPlugin(MarshmallowPlugin):
    """apispec's marshmallow plugin, with each schema's docstring as its description."""

    def schema_helper(self, name, _, schema=None, **kwargs):
        """Convert ``schema`` to JSON Schema, described by its class's docstring.

        A schema whose rules span fields (one identifier of several, say) states them in a
        ``JSON_SCHEMA_RULES`` class attribute, added as they are.
        """
        json_schema = super().schema_helper(name, _, schema=schema, **kwargs)
        if json_schema is not None and schema is not None:
            instance = resolve_schema_instance(schema)
            description = describe(instance)
            if description:
                json_schema.setdefault("description", description)
            json_schema.update(copy.deepcopy(getattr(instance, "JSON_SCHEMA_RULES", {})))
        return json_schema


def self_documented(converter: Any, field: Any, ret: dict, **kwargs: Any) -> dict:
    """Document a custom field by what it says it takes: its ``openapi(converter)``, if any.

    The converter lets it refer to the schemas it nests (as ``$ref``).
    """
    document = getattr(field, "openapi", None)
    return document(converter) if callable(document) else {}


def _camel(words: list[str]) -> str:
    """Join words (split again at any punctuation) in CamelCase."""
    parts = [p for word in words for p in re.split(r"[^A-Za-z0-9]+", word) if p]
    return "".join(p[:1].upper() + p[1:] for p in parts)


def _singular(word: str) -> str:
    """Return a collection's name for one of its members."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def operation_id(method: str, path: str) -> str:
    """Name an operation: from the table, else a verb for the method and the path's nouns.

    >>> operation_id("get", "/v1/skills"), operation_id("put", "/v1/roles/{role_id}")
    ('listSkills', 'upsertRole')
    """
    named = OPERATION_IDS.get(f"{method} {path}")
    if named:
        return named
    segments = [s for s in path.strip("/").split("/") if s and not re.fullmatch(r"v\d+", s)]
    member = bool(segments) and segments[-1].startswith("{")
    nouns = [s for s in segments if not s.startswith("{")]
    if member:
        verb = MEMBER_VERBS.get(method, method)
        words = [_singular(n) for n in nouns]
    else:
        verb = COLLECTION_VERBS.get(method, method)
        if nouns and nouns[-1] == "import":
            verb, nouns = "import", nouns[:-1]
        words = [_singular(n) for n in nouns[:-1]] + nouns[-1:]
        if verb == "create" and words:
            words[-1] = _singular(words[-1])
    return verb + _camel(words)


def _variant_of(name: str) -> tuple[str, ...]:
    """Return the record schema a variant (``SkillPut``, ``EmployeeImport``) is of, if any."""
    for suffix in VARIANT_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return (name.removesuffix(suffix),)
    return ()


class ExampleBuilder:
    """Builds example values from JSON Schemas, curated ones first."""

    def __init__(self, schemas: dict[str, Any]):
        self.schemas = schemas

    def build(self, schema: dict[str, Any], *, reading: bool, depth: int = 0) -> Any:
        """Return an example of ``schema``, as a client sends it or as the API answers it."""
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            target = self.schemas.get(name, {})
            # SkillPut or EmployeeImport is the record itself, named apart.
            curated = next((n for n in (name, *_variant_of(name)) if n in EXAMPLES), None)
            if curated is not None:
                return self._curated(curated, target, reading=reading)
            if not target or depth > 6:
                return {}
            return self.build(target, reading=reading, depth=depth + 1)
        if "example" in schema:
            return copy.deepcopy(schema["example"])
        for combined in ("oneOf", "anyOf", "allOf"):
            if schema.get(combined):
                return self.build(schema[combined][0], reading=reading, depth=depth + 1)
        if "enum" in schema:
            return schema["enum"][0]
        if schema.get("default") is not None:
            return copy.deepcopy(schema["default"])
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            return self._object(schema, reading=reading, depth=depth)
        if kind == "array":
            item = self.build(schema.get("items", {}), reading=reading, depth=depth + 1)
            return [item] * max(1, schema.get("minItems", 1))
        if kind in ("integer", "number"):
            low = schema.get("minimum", 1)
            value = low + 1 if schema.get("exclusiveMinimum") else max(low, 1)
            value = min(value, schema.get("maximum", value))
            return int(value) if kind == "integer" else float(value)
        if kind == "boolean":
            return True
        if kind == "string":
            return self._string(schema)
        return None

    def _object(self, schema: dict[str, Any], *, reading: bool, depth: int) -> dict[str, Any]:
        """Return an example object: an answer's every field, a request's needed ones."""
        required = set(schema.get("required", ()))
        out = {}
        for name, prop in schema.get("properties", {}).items():
            if prop.get("readOnly" if not reading else "writeOnly"):
                continue
            # A request shows what it needs and what is worth showing; an answer, everything.
            wanted = reading or name in required or "example" in prop or "$ref" in prop
            if wanted:
                out[name] = self.build(prop, reading=reading, depth=depth + 1)
        return out

    @staticmethod
    def _curated(name: str, schema: dict[str, Any], *, reading: bool) -> Any:
        """Return the curated example of schema ``name``, less the fields the other side omits."""
        example = copy.deepcopy(EXAMPLES[name])
        hidden = "writeOnly" if reading else "readOnly"
        properties = schema.get("properties", {})
        if isinstance(example, dict):
            for field in [f for f in example if f in properties and properties[f].get(hidden)]:
                del example[field]
            # A patch or a PUT body's variant may lack fields the record has.
            if properties:
                example = {k: v for k, v in example.items() if k in properties}
        return example

    @staticmethod
    def _string(schema: dict[str, Any]) -> str:
        """Return a placeholder string of the schema's format."""
        form = schema.get("format")
        if form == "date-time":
            return PLACEHOLDER_TIME
        if form == "date":
            return PLACEHOLDER_DATE
        if "A-Za-z0-9._:-" in schema.get("pattern", ""):
            return "example-id"
        return "text"


class ExamplesPlugin(BasePlugin):
    """Names every operation, gives its request body and answers an example, and links."""

    def init_spec(self, spec):
        """Keep the spec, whose component schemas the examples are built from."""
        self.spec = spec

    def operation_helper(self, path=None, operations=None, **kwargs):
        """Complete the operations of ``path``: an operationId and examples where missing."""
        builder = ExampleBuilder(self.spec.components.schemas)
        for method, operation in (operations or {}).items():
            if method not in HTTP_METHODS:
                continue
            operation.setdefault("operationId", operation_id(method, path))
            for status, links in LINKS.get(operation["operationId"], {}).items():
                response = operation.get("responses", {}).get(int(status))
                response = response or operation.get("responses", {}).get(status)
                if isinstance(response, dict):
                    response["links"] = copy.deepcopy(links)
            body = operation.get("requestBody", {})
            for content in body.get("content", {}).values():
                if "schema" in content and "example" not in content:
                    content["example"] = builder.build(content["schema"], reading=False)
            for status, response in operation.get("responses", {}).items():
                if not str(status).startswith("2") or not isinstance(response, dict):
                    continue
                for media, content in response.get("content", {}).items():
                    if media.endswith("json") and "schema" in content and "example" not in content:
                        content["example"] = builder.build(content["schema"], reading=True)
