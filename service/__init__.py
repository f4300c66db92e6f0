"""Skillpath's HTTP face: the app factory, blueprints, schemas, auth, errors and the CLI."""

from service.app import create_app

__all__ = ["create_app"]
