"""Bodies that carry one record or a JSON array of them, as evidence feeds send them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import current_app

from service.fields import StrictSchema


class BatchSchema(StrictSchema):
    """Loads one record, or a JSON array of up to the import row limit, as a list.

    Errors in an array name the record by its index (``[3].item``); a lone record's name
    the field alone.
    """

    def load(self, data: Any, *, many: bool | None = None, **kwargs: Any) -> list[Any]:
        """Return the records of a body: one object, or an array of them."""
        if isinstance(data, Mapping):
            return [super().load(data, many=False, **kwargs)]
        if not isinstance(data, list):
            raise ma.ValidationError(["Send a JSON object or an array of them."])
        limit = current_app.config["SKILLPATH_MAX_IMPORT_ROWS"]
        if not data or len(data) > limit:
            raise ma.ValidationError([f"Send 1 to {limit} records in one array; split larger."])
        return super().load(data, many=True, **kwargs)


def batch_body(schema: type[ma.Schema], what: str) -> dict[str, Any]:
    """Document a body of one ``schema`` record or an array of them."""
    return {
        "required": True,
        "description": f"One {what}, or a JSON array of them (at most the import row limit).",
        "content": {
            "application/json": {
                "schema": {"oneOf": [schema, {"type": "array", "items": schema, "minItems": 1}]}
            }
        },
    }
