"""Skillpath's HTTP face: the app factory, blueprints, schemas, auth, errors and the CLI.

``create_app`` loads on first use (PEP 562), so that the CLI can import :mod:`service.cli`
without the app, numpy and scikit-learn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """Import the app factory on first access."""
    if name != "create_app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from service.app import create_app

    return create_app
