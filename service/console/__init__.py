"""The browser console at /ui/: server-rendered pages over the same domain functions as the API."""

from service.console import analytics, catalog, imports, people, sessions, share
from service.console.base import blp

__all__ = ["analytics", "blp", "catalog", "imports", "people", "sessions", "share"]
