"""Signing in to the console through the test client, as a browser would, and reading its forms."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from service.cli import seed_demo_command

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    """Return the CSRF token a page's forms carry."""
    found = TOKEN.search(html)
    assert found, html[:2000]
    return found.group(1)


def sign_in(client: FlaskClient, secret: str, next_path: str = "/ui/") -> str:
    """Sign ``client`` in with an API key; return the session's CSRF token."""
    page = client.get("/ui/sign-in")
    answer = client.post(
        "/ui/sign-in",
        data={"csrf_token": form_token(page.text), "api_key": secret, "next": next_path},
    )
    assert answer.status_code == 303, answer.text
    return form_token(client.get("/ui/").text)


def seeded(app: Flask) -> Flask:
    """Load the demo organisation into ``app``'s database."""
    result = app.test_cli_runner().invoke(seed_demo_command)
    assert result.exit_code == 0, result.output
    return app
