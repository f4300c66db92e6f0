"""xAPI statements in, as an LRS forwards them: /v1/xapi/statements.

Statements are checked against xAPI 1.0.3's structure by the schemas of
:mod:`service.xapi_schemas`, so a malformed one is a 422 naming its index and field, like
every other body of the API; here they are kept, matched and listed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from flask.views import MethodView
from flask_smorest import abort

from catalog.xapi import StoreReport, list_statements, parse_statement, store_statements
from service.auth import may_read_profiles, requires
from service.batches import batch_body
from service.common import PAGING, Blueprint
from service.db import db
from service.xapi_schemas import (
    StatementBatchReportSchema,
    StatementQueryArgsSchema,
    StatementSchema,
    StoredStatementSchema,
)

blp = Blueprint(
    "xapi",
    __name__,
    url_prefix="/v1/xapi",
    description="xAPI statements forwarded by a learning record store (LRS).",
)

# Ids for statements sent without one: the same statement always gets the same id.
GENERATED_IDS = uuid.UUID("5f0c6b8e-8f2a-4d7c-9a51-7c1e2b9d4a30")


def _score(result: Mapping[str, Any]) -> float | None:
    """Return a result's score as a share in [0, 1]: scaled, else raw within min and max."""
    score = result.get("score") or {}
    if score.get("scaled") is not None:
        return max(0.0, score["scaled"])
    if None not in (score.get("raw"), score.get("min"), score.get("max")):
        return (score["raw"] - score["min"]) / (score["max"] - score["min"])
    return None


def _ident(original: Mapping[str, Any]) -> tuple[str, bool]:
    """Return a statement's id (lower case), or one derived from its content, and which."""
    if "id" in original:
        return str(uuid.UUID(original["id"])), True
    canonical = json.dumps(original, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(uuid.uuid5(GENERATED_IDS, canonical)), False


def statements_of(batch: Sequence[Mapping[str, Any]], received: dt.datetime) -> list:
    """Return the statements of a checked batch; repeated ids are a 422 naming both indexes.

    A statement sent without an id is given one derived from its content, so the same
    statement sent twice, in one batch or two, is kept once.
    """
    first: dict[str, tuple[int, bool]] = {}
    statements = []
    problems: dict[str, Any] = {}
    for n, entry in enumerate(batch):
        loaded, original = entry["loaded"], entry["original"]
        ident, given = _ident(original)
        if ident in first:
            earlier, earlier_given = first[ident]
            if given or earlier_given:
                problems[n] = {"id": [f"Statement id {ident} is also at index {earlier}."]}
            continue
        first[ident] = (n, given)
        statements.append(
            (
                n,
                parse_statement(
                    ident=ident,
                    raw=original,
                    timestamp=loaded.get("timestamp") or received,
                    score=_score(loaded.get("result") or {}),
                ),
            )
        )
    if problems:
        abort(422, message="A statement id repeats in the batch.", messages={"json": problems})
    return statements


def store_request(batch: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Keep, match and record a checked batch of statements; answer what happened."""
    indexed = statements_of(batch, dt.datetime.now(dt.UTC))
    report: StoreReport = store_statements(
        session=db.session, statements=[statement for _, statement in indexed]
    )
    db.session.commit()
    positions = [n for n, _ in indexed]
    return {
        "stored": report.stored,
        "already_stored": report.already_stored,
        "completions_added": report.completions_added,
        "unmatched": [
            {"index": positions[n], "id": ident, "reason": reason}
            for n, ident, reason in report.unmatched
        ],
    }


@blp.route("/statements")
class Statements(MethodView):
    """xAPI statements."""

    @requires("evidence:write")
    @blp.arguments(StatementSchema)
    @blp.doc(requestBody=batch_body(StatementSchema, "xAPI statement"))
    @blp.response(200, StatementBatchReportSchema)
    def post(self, batch):
        """Store xAPI statements and record the completions they make

        Every statement is kept, matched or not; one sent again (same id) changes nothing.
        Completed, passed and mastered (ADL verbs) without a failed result add a completion
        on the timestamp's day. A malformed statement rejects the whole batch (422 naming
        its index); a repeated id within one batch does too.
        """
        return store_request(batch)

    @requires("evidence:write")
    @blp.arguments(StatementQueryArgsSchema, location="query")
    @blp.response(200, StoredStatementSchema(many=True))
    @blp.paginate(**PAGING)
    def get(self, args, pagination_parameters):
        """List kept statements, latest first

        With `unmatched=true` only the statements still waiting for their employee or item.
        Listing matched statements (any other filter) needs `employees:read` as well.
        """
        if args.get("unmatched") is not True and not may_read_profiles():
            abort(403, message="Listing matched statements needs the 'employees:read' scope.")
        page = list_statements(
            session=db.session,
            unmatched=args.get("unmatched"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = page.total
        return page.items
