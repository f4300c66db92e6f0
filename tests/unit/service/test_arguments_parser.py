"""Query arguments remembered by query string: the same answer as webargs, never shared."""

from __future__ import annotations

import pytest
from flask import Flask
from marshmallow import fields, validate
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import UnprocessableEntity

from service.common import ArgumentsParser, RememberedQuery
from service.fields import StrictSchema
from service.recommendation_args import RecommendationArgsSchema


class Plain(StrictSchema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))


class Remembered(RememberedQuery, Plain):
    pass


@pytest.fixture
def app() -> Flask:
    return Flask(__name__)


@pytest.mark.parametrize(
    "query",
    ["", "limit=3", "modality=self_paced&modality=blended", "role=data&goal=cloud+security"],
)
def test_remembered_loads_equal_what_webargs_loads(app: Flask, query: str) -> None:
    schema, parser = RecommendationArgsSchema(), ArgumentsParser()
    with app.test_request_context(f"/?{query}"):
        expected = FlaskParser().parse(schema, location="query")
        assert parser.parse(schema, location="query") == expected
        assert parser.parse(schema, location="query") == expected  # now from memory


def test_each_call_gets_its_own_lists(app: Flask) -> None:
    schema, parser = RecommendationArgsSchema(), ArgumentsParser()
    with app.test_request_context("/?kind=course"):
        first = parser.parse(schema, location="query")
        first["kind"].append("mentoring")
        first["limit"] = 99
        assert parser.parse(schema, location="query") == {"kind": ["course"], "limit": 10}


def test_invalid_arguments_fail_every_time(app: Flask) -> None:
    schema, parser = Remembered(), ArgumentsParser()
    with app.test_request_context("/?limit=0"):
        for _ in range(2):
            with pytest.raises(UnprocessableEntity):
                parser.parse(schema, location="query")
    assert not parser._loaded


def test_only_remembered_query_schemas_are_kept(app: Flask) -> None:
    parser = ArgumentsParser()
    with app.test_request_context("/?limit=4"):
        assert parser.parse(Plain(), location="query") == {"limit": 4}
        assert not parser._loaded
        assert parser.parse(Remembered(), location="query") == {"limit": 4}
        assert len(parser._loaded) == 1


def test_schemas_are_kept_apart_and_the_memory_is_bounded(app: Flask) -> None:
    parser = ArgumentsParser()
    parser.REMEMBERED = 3
    one, other = Remembered(), Remembered()
    for limit in range(1, 6):
        with app.test_request_context(f"/?limit={limit}"):
            assert parser.parse(one, location="query") == {"limit": limit}
            assert parser.parse(other, location="query") == {"limit": limit}
    assert len(parser._loaded) <= 3
