"""Interactive API documentation at /docs, from the Swagger UI copy the package pins.

Every file comes from the installed ``swagger-ui-bundle`` package (Swagger UI's own build,
Apache-2.0), so the page renders on a network without internet access.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

blp = Blueprint("docs", __name__)

# The files the page loads; nothing else of the bundle is served.
ASSETS = frozenset(
    {
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "swagger-ui.css",
        "favicon-32x32.png",
        "favicon-16x16.png",
    }
)
# Swagger UI's version, from the folder name the package ships it under.
SWAGGER_UI_VERSION = swagger_ui_path.name.removeprefix("swagger-ui-")


@blp.get("/docs")
def page():
    """Render the Swagger UI page of the OpenAPI document."""
    return render_template("docs/swagger.html", version=SWAGGER_UI_VERSION)


@blp.get("/docs/assets/<name>")
def asset(name: str):
    """Serve one file of the pinned Swagger UI build."""
    if name not in ASSETS:
        abort(404)
    return send_from_directory(str(swagger_ui_path), name, max_age=86400)
