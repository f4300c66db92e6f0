"""Liveness and readiness probes; no API key needed."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text

from service.api import log, problem
from service.common import Blueprint
from service.db import db
from service.engine import IndexNotReadyError, model_cache

blp = Blueprint("health", __name__, description="Probes for load balancers and orchestrators.")


class HealthSchema(Schema):
    """The state of the service."""

    status = fields.String(metadata={"example": "ok"})
    catalog_version = fields.Integer()
    index_built = fields.Boolean()
    index_building = fields.Boolean(
        metadata={"description": "whether a newer catalog version is being fitted meanwhile"}
    )


@blp.route("/health", endpoint="health")
class Health(MethodView):
    """Liveness."""

    @blp.response(200, HealthSchema)
    def get(self):
        """Tell whether the process is alive"""
        return {"status": "ok"}


@blp.route("/ready", endpoint="ready")
class Ready(MethodView):
    """Readiness."""

    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Tell whether the database answers and the recommender index is built

        ``catalog_version`` is the version this worker answers with; ``index_building`` says
        whether it is fitting a newer one in the background meanwhile.
        """
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any database failure means not ready
            return problem(503, "The database does not answer.")
        try:
            # Builds the index if this worker has none yet: ready means ready to recommend.
            cache = model_cache()
            version = cache.get(db.session).version
        except IndexNotReadyError:
            return problem(503, "The recommender index is being built.")
        except Exception:  # noqa: BLE001
            log.error("the recommender index could not be built", exc_info=True)
            return problem(503, "The recommender index could not be built.")
        return {
            "status": "ok",
            "catalog_version": version,
            "index_built": True,
            "index_building": cache.building,
        }
