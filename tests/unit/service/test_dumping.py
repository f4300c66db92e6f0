"""Compiled dumps write exactly what marshmallow's ``Schema.dump`` writes, case by case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import marshmallow as ma
import numpy as np
import pytest
from marshmallow import fields

from service.dumping import CompiledDump, RememberedDump, compilable, compiled
from service.fields import Amount, Share


class Point(NamedTuple):
    x: float
    label: str


@dataclass
class Leaf:
    name: object
    count: object = None


@dataclass
class Tree:
    title: object
    leaves: object
    point: object
    when: object = None
    flags: object = None
    extra: object = None


class LeafSchema(ma.Schema):
    name = fields.String()
    count = fields.Integer(allow_none=True)


class PointSchema(ma.Schema):
    x = Share()
    label = fields.String(data_key="name")


class TreeSchema(CompiledDump):
    title = fields.String(allow_none=True)
    leaves = fields.List(fields.Nested(LeafSchema), allow_none=True)
    point = fields.Nested(PointSchema, allow_none=True)
    x = Amount(attribute="point.x", dump_only=True)
    label = fields.String(attribute="point.label", dump_only=True)
    when = fields.Date(allow_none=True)
    flags = fields.List(fields.Boolean(), allow_none=True)
    first = fields.Nested(LeafSchema, attribute="leaves.0", dump_only=True)
    absent = fields.String(attribute="nowhere.deeper")
    defaulted = fields.Integer(attribute="nothing", dump_default=7)
    computed = fields.Function(lambda tree: f"<{getattr(tree, 'title', None)}>")
    many = fields.Nested(LeafSchema, many=True, attribute="leaves", dump_only=True)


def _plain(obj, **kwargs):
    """What marshmallow itself writes for ``obj``."""
    return ma.Schema.dump(TreeSchema(), obj, **kwargs)


CASES = [
    Tree("a", [Leaf("x", 1), Leaf("y", 2)], Point(0.123456, "p"), dt.date(2026, 1, 2), [True]),
    # Values of other types than the fast path knows: numpy scalars, bytes, ints for flags.
    Tree(
        b"bytes",
        [Leaf(np.str_("n"), np.int64(3)), Leaf(5, 2.0)],
        Point(np.float32(0.5), "q"),
        None,
        [1, 0, "yes", np.bool_(True)],
    ),
    # Rounding a tiny negative writes 0.0, not -0.0; ints written as shares become floats.
    Tree(None, [], Point(-0.00001, ""), None, None),
    Tree("b", None, Point(3, "r")),
    Tree("c", [Leaf(None)], None),
]


@pytest.mark.parametrize("obj", CASES)
def test_a_compiled_dump_writes_what_marshmallow_writes(obj):
    written = TreeSchema().dump(obj)
    assert written == _plain(obj)
    assert list(written) == list(_plain(obj))  # the same keys in the same order
    if obj.point is not None and obj.point.x < 0:
        assert str(written["x"]) == str(written["point"]["x"]) == "0.0"


def test_dicts_are_read_by_key_and_many_by_element():
    as_dict = {"title": "d", "leaves": [{"name": "k", "count": 4}], "point": Point(1.0, "s")}
    assert TreeSchema().dump(as_dict) == _plain(as_dict)
    assert TreeSchema(many=True).dump(CASES) == _plain(CASES, many=True)
    assert TreeSchema().dump(CASES, many=True) == _plain(CASES, many=True)
    assert TreeSchema().dump(None) == _plain(None) == {"defaulted": 7, "computed": "<None>"}


def test_dump_hooks_keep_marshmallows_way():
    class Hooked(CompiledDump):
        name = fields.String()

        @ma.post_dump
        def shout(self, data, **kwargs):
            return {key: value.upper() for key, value in data.items()}

    class Outer(CompiledDump):
        inner = fields.Nested(Hooked)

    assert not compilable(Hooked())
    assert Hooked().dump(Leaf("quiet")) == {"name": "QUIET"}
    assert Outer().dump({"inner": Leaf("quiet")}) == {"inner": {"name": "QUIET"}}


def test_a_schema_compiles_once():
    schema = TreeSchema()
    assert compiled(schema) is compiled(schema)


def test_a_tuple_that_reads_string_keys_is_read_by_key():
    class Keyed(tuple):
        def __getitem__(self, key):
            return f"key {key}" if isinstance(key, str) else super().__getitem__(key)

    class Named(CompiledDump):
        name = fields.String()

    obj = Keyed((1, 2))
    assert Named().dump(obj) == ma.Schema.dump(Named(), obj) == {"name": "key name"}


@dataclass(frozen=True)
class Frozen:
    name: str
    count: int


class RememberedLeafSchema(RememberedDump):
    name = fields.String()
    count = fields.Integer()


class Holder(CompiledDump):
    leaves = fields.List(fields.Nested(RememberedLeafSchema))


def test_a_remembered_dump_answers_as_marshmallow_and_dumps_each_object_once(monkeypatch):
    leaves = [Frozen("a", 1), Frozen("b", 2)]
    schema = Holder()
    expected = {"leaves": [{"name": "a", "count": 1}, {"name": "b", "count": 2}]}
    assert ma.Schema.dump(Holder(), {"leaves": leaves}) == expected
    assert schema.dump({"leaves": leaves}) == expected
    reads: list[str] = []
    getattribute = Frozen.__getattribute__

    def counted(obj, name):
        reads.append(name)
        return getattribute(obj, name)

    monkeypatch.setattr(Frozen, "__getattribute__", counted)
    assert schema.dump({"leaves": leaves}) == expected
    assert reads == []  # both were remembered
    # Another object with equal fields is another object: it is read, not taken for the first.
    assert schema.dump({"leaves": [Frozen("a", 1)]}) == {"leaves": [{"name": "a", "count": 1}]}
    assert sorted(set(reads)) == ["count", "name"]


def test_a_remembered_dump_hands_out_copies_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(RememberedLeafSchema, "REMEMBERED", 3)

    class Bounded(CompiledDump):
        leaf = fields.Nested(RememberedLeafSchema)

    schema = Bounded()
    leaf = Frozen("a", 1)
    first = schema.dump({"leaf": leaf})
    first["leaf"]["name"] = "changed by a caller"
    assert schema.dump({"leaf": leaf}) == {"leaf": {"name": "a", "count": 1}}
    made = [Frozen(str(n), n) for n in range(10)]
    for obj in made:
        assert schema.dump({"leaf": obj}) == {"leaf": {"name": str(obj.count), "count": obj.count}}
    memo = compiled(schema.fields["leaf"].schema).__closure__
    held = [cell.cell_contents for cell in memo if isinstance(cell.cell_contents, dict)]
    assert held and all(len(h) <= 3 for h in held)
