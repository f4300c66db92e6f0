"""The OpenAPI document as code generators want it.

Every operation gets an ``operationId`` (camelCase verb and noun, unique), and an example of
its request body and of its successful answers; every schema gets a description, its
marshmallow class's docstring. Examples of the main records live in ``openapi_examples.json``
beside this module; any other example is built from the schema: its fields' own examples,
defaults and bounds. Answers that name a record carry OpenAPI ``links`` to the operations on
it (``openapi_links.LINKS``), which clients and stateful test generators follow.
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

from service.openapi_links import LINKS

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
    "get /v1/analytics/skills": "getSkillsAnalytics",
    "get /v1/analytics/teams/{team}/gaps": "getTeamGapHeatmap",
    "get /v1/analytics/certifications": "listExpiringCertifications",
    "get /v1/analytics/kpis": "getWorkforceKpis",
}
# What an operation on a collection or on one of its members does, by HTTP method.
COLLECTION_VERBS = {"get": "list", "post": "create"}
MEMBER_VERBS = {"get": "get", "put": "upsert", "patch": "update", "delete": "delete"}
VARIANT_SUFFIXES = ("Put", "Import")
PLACEHOLDER_DATE = "2026-01-31"
PLACEHOLDER_TIME = "2026-01-31T09:30:00+00:00"


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
