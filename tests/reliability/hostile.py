"""Hostile request values, and the fields of an OpenAPI document's request bodies they go into.

A field's documented type picks its hostile values: every string field gets control characters,
NUL, bidirectional overrides, zero-width joiners, lone surrogates, 10,000 characters, ids that
would name other paths and spreadsheet formulas; every number gets 1e309, a 5,000-digit integer,
-0, 2**63, NaN and Infinity; and every field gets the JSON types it does not take. JSON that
``json.dumps`` never writes (NaN, 1e309, lone surrogates) travels as :class:`Raw` text.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Raw:
    """JSON text sent exactly as written, for literals ``json.dumps`` never writes."""

    text: str


def dumps(value: Any) -> str:
    """Write ``value`` as JSON text: :class:`Raw` parts as they are, other text unescaped UTF-8."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Mapping):
        members = (f"{dumps(key)}: {dumps(child)}" for key, child in value.items())
        return "{" + ", ".join(members) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(dumps(child) for child in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def parsed(text: str | bytes) -> tuple[bool, Any]:
    """Return whether a JSON reader takes ``text``, and what it reads (NaN as NaN, 1e309 as inf)."""
    try:
        return True, json.loads(text)
    except ValueError:  # a number longer than Python reads, not UTF-8, or not JSON at all
        return False, None


def plain(value: Any) -> bool:
    """Tell whether ``value`` is JSON any strict reader takes: no NaN, no lone surrogate.

    Such values can share a request with others; the rest make the whole body unreadable.
    """

    def constant(name: str) -> float:
        raise ValueError(name)

    try:
        read = json.loads(dumps(value), parse_constant=constant)
        json.dumps(read, ensure_ascii=False).encode()
    except ValueError:  # also UnicodeEncodeError, for a lone surrogate
        return False
    return True


def show(path: Path) -> str:
    """Spell a field path the way the API's ``errors[].field`` does: ``skills[0].level``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


FORMULA = '=HYPERLINK("https://attacker.example/","Click for a raise")'
LONG = "\u00fc" * 10_000  # 10,000 characters, 20,000 bytes of UTF-8
DEEP_ARRAY = Raw("[" * 100 + "]" * 100)
DEEP_OBJECT = Raw('{"a": ' * 100 + "1" + "}" * 100)

# Every string field: what a careless client, a spreadsheet or an attacker sends.
STRINGS: list[tuple[str, Any]] = [
    ("empty", ""),
    ("NUL", "a\x00b"),
    ("control characters", "ctl\x01\x07\x1b[2J\x7f\x85"),
    ("trailing newline", "tail\n"),
    ("RTL override", "\u202egnp.exe"),
    ("zero-width joiners", "zw\u200dj\u200b\u200c"),
    ("10,000 characters", LONG),
    ("formula", FORMULA),
    ("lone high surrogate", Raw('"\\ud800"')),
    ("lone low surrogate", Raw('"x\\udc00"')),
]
# Where an id or a reference goes, besides: what would name another path once in a URL.
IDS: list[tuple[str, Any]] = [
    ("blank", " "),
    ("dot", "."),
    ("dot dot", ".."),
    ("import", "import"),
    ("slash", "a/b"),
    ("BOM inside", "\ufeffid"),
]
NUMBERS: list[tuple[str, Any]] = [
    ("1e309", Raw("1e309")),
    ("-1e309", Raw("-1e309")),
    ("10**5000", Raw("1" + "0" * 5000)),
    ("-0", Raw("-0")),
    ("-0.0", Raw("-0.0")),
    ("2**63", 2**63),
    ("-2**63", -(2**63)),
    ("2**53+1", 2**53 + 1),
    ("subnormal", Raw("1e-320")),
    ("1.5", 1.5),
    ("NaN", Raw("NaN")),
    ("Infinity", Raw("Infinity")),
    ("-Infinity", Raw("-Infinity")),
    ("numeric string", "5"),
]
DATES: list[tuple[str, Any]] = [
    ("February 30th", "2024-02-30"),
    ("year 0", "0000-01-01"),
    ("year 9999", "9999-12-31"),
    ("a date-time", "2024-01-01T00:00:00Z"),
    ("no dashes", "20240101"),
]
BOOLEANS: list[tuple[str, Any]] = [("string true", "true"), ("1", 1), ("0", 0), ("yes", "yes")]
# The JSON types a field of each type does not take.
WRONG_TYPES: dict[str, list[tuple[str, Any]]] = {
    "string": [("null", None), ("number", 7), ("true", True), ("array", ["x"]), ("object", {})],
    "number": [("null", None), ("true", True), ("array", [1]), ("object", {"n": 1})],
    "boolean": [("null", None), ("array", [True]), ("object", {})],
    "array": [
        ("null", None),
        ("string", ""),
        ("object where an array goes", {}),
        ("number", 0),
        ("[null]", [None]),
        ("[[]]", [[]]),
    ],
    "object": [
        ("null", None),
        ("array where an object goes", []),
        ("string", ""),
        ("number", 0),
    ],
}


@dataclass(frozen=True)
class Field:
    """One field of a request body, as the document describes it."""

    path: Path
    schema: Mapping[str, Any]

    @property
    def kind(self) -> str:
        """Name the field's JSON type: string, number, boolean, array, object or map."""
        declared = self.schema.get("type")
        if declared == "integer":
            return "number"
        if declared == "object" or "properties" in self.schema:
            return "object" if "properties" in self.schema else "map"
        return declared or "object"

    def __str__(self) -> str:
        return show(self.path)


def resolve(schema: Mapping[str, Any], document: Mapping[str, Any]) -> Mapping[str, Any]:
    """Follow ``$ref`` to the schema it names."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def shapes(
    schema: Mapping[str, Any],
    document: Mapping[str, Any],
    expanded: set[str],
    *,
    option: bool = False,
) -> list[Mapping[str, Any]]:
    """Return the shapes a value of ``schema`` may take: one, or each of its ``oneOf``.

    A ``oneOf`` beside ``properties`` only constrains them (one of two fields, say); an
    ``allOf`` adds required fields to its first schema. A named schema that one of several
    shapes (an xAPI agent as actor, authority or instructor) was already expanded at an earlier
    path is in ``expanded``: its fields are the same fields, read by the same code, so they are
    spelled out at the first path only.
    """
    if option and "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in expanded:
            return []
        expanded.add(name)
    schema = resolve(schema, document)
    if "properties" in schema or schema.get("type") == "array":
        return [schema]
    if "allOf" in schema:
        return shapes(schema["allOf"][0], document, expanded, option=option)
    options = schema.get("oneOf") or schema.get("anyOf") or []
    return [shape for one in options for shape in shapes(one, document, expanded, option=True)]


def record_schema(schema: Mapping[str, Any], document: Mapping[str, Any]) -> Mapping[str, Any]:
    """Return the record of a body that is "a record or a batch of them"; else ``schema``."""
    options = schema.get("oneOf") or []
    if len(options) == 2 and options[1].get("type") == "array":
        if options[1].get("items") == options[0]:
            return options[0]
    return schema


def fields_of(
    schema: Mapping[str, Any],
    document: Mapping[str, Any],
    path: Path = (),
    expanded: set[str] | None = None,
):
    """Yield every field a client may write in ``schema``, nested ones and list entries too."""
    expanded = set() if expanded is None else expanded
    for shape in shapes(schema, document, expanded):
        if "properties" in shape:
            for name, child in shape["properties"].items():
                resolved = resolve(child, document)
                if resolved.get("readOnly"):
                    continue
                yield Field(path + (name,), resolved)
                yield from fields_of(child, document, path + (name,), expanded)
        elif shape.get("type") == "array":
            entry = resolve(shape["items"], document)
            yield Field(path + (0,), entry)
            yield from fields_of(shape["items"], document, path + (0,), expanded)


def objects_of(
    schema: Mapping[str, Any],
    document: Mapping[str, Any],
    path: Path = (),
    expanded: set[str] | None = None,
):
    """Yield the path of every object with named fields in ``schema``, the body's own first."""
    expanded = set() if expanded is None else expanded
    seen: set[Path] = set()
    for shape in shapes(schema, document, expanded):
        if "properties" in shape:
            if path not in seen:
                seen.add(path)
                yield path
            for name, child in shape["properties"].items():
                if not resolve(child, document).get("readOnly"):
                    yield from objects_of(child, document, path + (name,), expanded)
        elif shape.get("type") == "array":
            yield from objects_of(shape["items"], document, path + (0,), expanded)


def hostile_values(field: Field) -> list[tuple[str, Any]]:
    """Return labelled hostile values for ``field``, chosen by its documented type."""
    kind = field.kind
    if kind == "string":
        values = STRINGS + (IDS if is_reference(field) else [])
        values += DATES if field.schema.get("format") == "date" else []
    elif kind == "number":
        values = NUMBERS + ([("3.0", 3.0)] if field.schema.get("type") == "integer" else [])
    elif kind == "boolean":
        values = BOOLEANS
    elif kind == "map":
        values = map_values()
    else:
        values = []
    return values + WRONG_TYPES["object" if kind == "map" else kind]


def is_reference(field: Field) -> bool:
    """Tell whether a string field holds an id or names another record, rather than free text."""
    pattern = field.schema.get("pattern", "")
    return "A-Za-z0-9._:-" in pattern or field.path[-1] in {"skill", "item", "role"}


def map_values() -> list[tuple[str, Any]]:
    """Hostile contents of a string-to-string map (external ids): keys and values."""
    values = [(f"value {label}", {"esco": value}) for label, value in STRINGS]
    keys = [(label, value) for label, value in STRINGS + IDS if not isinstance(value, Raw)]
    values += [(f"key {label}", {key: "x"}) for label, key in keys]
    values += [
        ("key lone surrogate", {Raw('"\\udbff"'): "x"}),
        ("number value", {"esco": 1}),
        ("null value", {"esco": None}),
        ("21 entries", {f"taxonomy{n}": "x" for n in range(21)}),
    ]
    return values


def replaced(body: Any, path: Path, value: Any) -> Any:
    """Return a copy of ``body`` with the field at ``path`` set to ``value``."""
    body = copy.deepcopy(body)
    parent = body
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return body


def has(body: Any, path: Path) -> bool:
    """Tell whether ``body`` holds a value at ``path``."""
    for part in path:
        try:
            body = body[part]
        except (KeyError, IndexError, TypeError):
            return False
    return True


def cases(body: Any, schema: Mapping[str, Any], document: Mapping[str, Any]) -> Iterator[tuple]:
    """Yield ``(field path, label, value)``: every field of ``body`` x every hostile value of its
    type, and an unknown field in every object it holds.
    """
    for field in fields_of(schema, document):
        if has(body, field.path):
            for label, value in hostile_values(field):
                yield field.path, label, value
    for path in objects_of(schema, document):
        if has(body, path):
            yield path + ("unknown_field",), "unknown field", 0
