"""Response schemas that write their answers through a function compiled from their fields.

marshmallow looks every field's value up and formats it through several generic calls, which
on a recommendation answer (a few hundred values) costs more than ranking the catalog. A
:class:`CompiledDump` schema compiles, once per schema instance, one reader per field that
does what marshmallow would for that field's type: the same attribute or key lookup, the
same formatting of each value, the same key. A value of a type the fast path does not know,
and a field type it does not know, go through the field's own marshmallow code, so the
answer is always the one ``Schema.dump`` gives; the schema stays the one source of the
OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import marshmallow as ma
from marshmallow import fields
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import missing

from service.fields import Rounded

#: Formats one value as its field would (``field._serialize``) given the value and its object.
Formatter = Callable[[Any, Any], Any]


def _by_key_or_attribute(obj: Any, key: str) -> Any:
    """Read ``obj[key]``, else ``obj.key``, else ``missing``: marshmallow's lookup of one key."""
    if not _read_by_attribute(obj):
        try:
            return obj[key]
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return getattr(obj, key, missing)


def _by_attribute_only(obj: Any) -> bool:
    """Tell whether marshmallow reads ``obj`` by attribute alone: a key lookup would fail.

    Objects without ``__getitem__``, and tuples that index as tuples do (named tuples): a
    string is no tuple index.
    """
    if not hasattr(obj, "__getitem__"):
        return True
    return isinstance(obj, tuple) and type(obj).__getitem__ is tuple.__getitem__


#: Whether values of each type are read by attribute alone (:func:`_by_attribute_only`),
#: decided once per type: the answer depends on the type's methods, not on the value.
_BY_ATTRIBUTE: dict[type, bool] = {}


def _read_by_attribute(obj: Any) -> bool:
    """Return :func:`_by_attribute_only` of ``obj``, remembered for its type."""
    kind = type(obj)
    plain = _BY_ATTRIBUTE.get(kind)
    if plain is None:
        plain = _BY_ATTRIBUTE[kind] = _by_attribute_only(obj)
    return plain


def _getter(path: str) -> Callable[[Any], Any]:
    """Return a function reading a dotted attribute path, each step as marshmallow does."""
    keys = path.split(".")

    def read(obj: Any) -> Any:
        for key in keys:
            obj = _by_key_or_attribute(obj, key)
            if obj is missing:
                return missing
        return obj

    return read


def _formatter(field: fields.Field, name: str) -> Formatter:
    """Return how ``field`` (named ``name``) formats a value, fast for the types answers hold."""
    slow = field._serialize
    exact, places = _fast_path(field)
    if exact is not None:
        return lambda value, obj: value if type(value) is exact else slow(value, name, obj)
    if places is not None:
        # + 0.0 turns the -0.0 that rounding a tiny negative gives into 0.0, as Rounded does.
        return lambda value, obj: (
            round(value, places) + 0.0 if type(value) is float else slow(value, name, obj)
        )
    if type(field) is fields.Nested and compilable(field.schema):
        nested = field.schema
        if nested.many or field.many:
            return lambda value, obj: (
                None if value is None else [compiled(nested)(v) for v in value]
            )
        return lambda value, obj: None if value is None else compiled(nested)(value)
    if type(field) is fields.List:
        inner = _formatter(field.inner, name)
        return lambda value, obj: None if value is None else [inner(v, obj) for v in value]
    return lambda value, obj: slow(value, name, obj)


def _fast_path(field: fields.Field) -> tuple[type | None, int | None]:
    """Return the type a field writes unchanged, or the places a share or amount rounds to."""
    kind = type(field)
    if kind is fields.String:
        return str, None
    if kind is fields.Boolean:
        return bool, None
    if kind is fields.Integer and not field.as_string:
        return int, None
    if kind is Rounded and not field.as_string:
        return None, field.places
    return None, None


@dataclass(frozen=True, slots=True)
class _Step:
    """How one field is written: where its value is, and how it is formatted."""

    attribute: str | None  # one attribute name; None when ``read`` follows a dotted path
    read: Callable[[Any], Any] | None
    exact: type | None  # a value of exactly this type is written as it is
    places: int | None  # a float is rounded to this many decimals
    format: Formatter
    default: Any


def _step(name: str, field: fields.Field) -> _Step | Callable[[Any], Any]:
    """Return how a schema writes one field: a plan, or marshmallow's own call for the field."""
    if not field._CHECK_ATTRIBUTE:  # Method, Function, Constant: marshmallow's own way
        return lambda obj: field.serialize(name, obj)
    path = field.attribute or name
    exact, places = _fast_path(field)
    return _Step(
        attribute=None if "." in path else path,
        read=_getter(path) if "." in path else None,
        exact=exact,
        places=places,
        format=_formatter(field, name),
        default=field.dump_default,
    )


def compilable(schema: ma.Schema) -> bool:
    """Tell whether a schema dumps field by field alone: no dump hooks, the usual lookup."""
    return not (
        schema._hooks[PRE_DUMP]
        or schema._hooks[POST_DUMP]
        or type(schema).get_attribute is not ma.Schema.get_attribute
    )


def compiled(schema: ma.Schema) -> Callable[[Any], Any]:
    """Return a function dumping one object as ``schema.dump`` would, compiled once per schema.

    Schemas with dump hooks or their own attribute lookup keep marshmallow's way.
    """
    dump = schema.__dict__.get("_compiled_dump")
    if dump is not None:
        return dump
    if not compilable(schema):
        return lambda obj: ma.Schema.dump(schema, obj, many=False)
    plan = [
        (field.data_key if field.data_key is not None else name, _step(name, field))
        for name, field in schema.dump_fields.items()
    ]

    def dump_one(obj: Any) -> dict[str, Any]:
        answer = {}
        plain = _read_by_attribute(obj)
        for key, step in plan:
            if not isinstance(step, _Step):
                value = step(obj)
                if value is not missing:
                    answer[key] = value
                continue
            if step.attribute is None:
                value = step.read(obj)
            elif plain:
                value = getattr(obj, step.attribute, missing)
            else:
                value = _by_key_or_attribute(obj, step.attribute)
            if value is missing:
                default = step.default
                value = default() if callable(default) else default
                if value is missing:
                    continue
            kind = type(value)
            if kind is step.exact:
                answer[key] = value
            elif kind is float and step.places is not None:
                # + 0.0 turns the -0.0 that rounding a tiny negative gives into 0.0.
                answer[key] = round(value, step.places) + 0.0
            else:
                answer[key] = step.format(value, obj)
        return answer

    if isinstance(schema, RememberedDump):
        dump_one = _remembering(dump_one, schema.REMEMBERED)
    schema.__dict__["_compiled_dump"] = dump_one
    return dump_one


class RememberedDump(ma.Schema):
    """A schema of values that never change once made, whose dumps are remembered.

    Its objects must be immutable and made once for as long as they are used, as an item's
    summary is for a catalog version (:class:`service.fitted.ItemSummaries`): answers keep
    naming the same few hundred items, and dumping one again would give the same fields.
    The last ``REMEMBERED`` dumps are kept by the object's identity, with the object itself,
    so an identity is never reused while it is remembered; each caller gets its own copy.
    """

    REMEMBERED = 4096


def _remembering(dump: Callable[[Any], dict], size: int) -> Callable[[Any], dict]:
    """Return ``dump`` remembering its last ``size`` answers by the identity of the object."""
    memo: dict[int, tuple[Any, dict]] = {}

    def remembered(obj: Any) -> dict:
        found = memo.get(id(obj))
        if found is None or found[0] is not obj:
            if len(memo) >= size:
                memo.clear()
            found = memo[id(obj)] = (obj, dump(obj))
        return dict(found[1])

    return remembered


class CompiledDump(ma.Schema):
    """A schema whose ``dump`` runs the function :func:`compiled` makes of it."""

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        """Serialise ``obj`` exactly as marshmallow would, through the compiled function."""
        many = self.many if many is None else bool(many)
        if not compilable(self):
            return super().dump(obj, many=many)
        dump = compiled(self)
        if many and obj is not None:
            return [dump(each) for each in obj]
        return dump(obj)
