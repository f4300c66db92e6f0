"""The console's blueprint and what every page shares: the session, CSRF, scopes, errors.

A console session acts as the API key it was opened with: the key is found again by its hash
on each request, so its scopes decide what a page shows and allows exactly as they would for
an API call, and a key revoked through the API ends its sessions at once.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from werkzeug.exceptions import Forbidden, HTTPException

from catalog import console
from catalog.api_keys import hash_secret, key_for_hash
from service.auth import Caller
from service.db import db

blp = Blueprint("ui", __name__, url_prefix="/ui")

COOKIE = "skillpath_console"
# Before sign-in there is no session to hold a CSRF token: the form and a cookie carry the same one.
SIGN_IN_COOKIE = "skillpath_sign_in"
# Pages anyone may open: signing in, and a share link (its token is its own credential).
OPEN_ENDPOINTS = {"ui.sign_in", "ui.share"}


class ConsoleForbidden(Forbidden):
    """The signed-in key lacks a scope a page needs."""


def caller_for(key_hash: str) -> Caller | None:
    """Return who a session acts as, from the hash of its API key; None if the key is gone."""
    admin_secret = current_app.config.get("SKILLPATH_ADMIN_KEY")
    if admin_secret and hmac.compare_digest(key_hash, hash_secret(admin_secret)):
        return Caller(name="bootstrap admin", scopes=frozenset({"admin"}))
    key = key_for_hash(session=db.session, digest=key_hash)
    if key is None:
        return None
    return Caller(name=key.name, scopes=frozenset(key.scopes), key_id=key.id)


def require(*scopes: str) -> Caller:
    """Return the signed-in caller, or refuse the page (403) naming the scopes it lacks."""
    caller: Caller = g.caller
    missing = [scope for scope in scopes if not caller.has(scope)]
    if missing:
        named = " and ".join(missing)
        raise ConsoleForbidden(f"Your API key lacks the {named} scope this page needs.")
    return caller


def may(*scopes: str) -> bool:
    """Tell whether the signed-in caller holds every one of ``scopes``."""
    caller = g.get("caller")
    return caller is not None and all(caller.has(scope) for scope in scopes)


def safe_next(target: str | None) -> str:
    """Return a console path to go to after sign-in; anything else goes to the home page."""
    if target and target.startswith("/ui/") and not urlsplit(target).netloc:
        return target
    return url_for("ui.home")


@blp.before_request
def load_session():
    """Act as the session's key, or send the browser to sign in; check CSRF on every form."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    cookie = request.cookies.get(COOKIE)
    row = console.live_session(session=db.session, cookie=cookie) if cookie else None
    caller = caller_for(row.key_hash) if row is not None else None
    if caller is None:
        if request.method == "GET":
            return redirect(url_for("ui.sign_in", next=request.full_path.rstrip("?")))
        raise Forbidden("Your console session has ended; sign in again.")
    g.caller = caller
    g.console_session = row
    if request.method == "POST":
        check_csrf(row.csrf_token)
    return None


def check_csrf(expected: str) -> None:
    """Refuse a form whose CSRF token is not the one its page was given (403)."""
    sent = request.form.get("csrf_token", "")
    if not sent or not hmac.compare_digest(sent, expected):
        raise Forbidden("The form's security token is missing or stale; reload the page and retry.")


@blp.app_template_global()
def csrf_token() -> str:
    """Return the CSRF token forms of this page carry."""
    row = g.get("console_session")
    if row is not None:
        return row.csrf_token
    if "sign_in_token" not in g:
        g.sign_in_token = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(32)
    return g.sign_in_token


@blp.app_context_processor
def page_globals() -> dict[str, Any]:
    """Give every template the caller and a way to ask about scopes."""
    return {"caller": g.get("caller"), "may": may}


@blp.after_request
def private(response):
    """Keep console pages out of every cache; hand a new sign-in token to the browser."""
    response.headers["Cache-Control"] = "no-store"
    if "sign_in_token" in g and request.cookies.get(SIGN_IN_COOKIE) != g.sign_in_token:
        set_cookie(response, SIGN_IN_COOKIE, g.sign_in_token, max_age=3600)
    return response


def set_cookie(response, name: str, value: str, *, max_age: int | None) -> None:
    """Set a console cookie: HttpOnly, SameSite=Strict, Secure when served over TLS."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/ui",
        httponly=True,
        samesite="Strict",
        secure=request.is_secure,
    )


def session_lifetime() -> dt.timedelta:
    """Return how long a console sign-in lasts."""
    return dt.timedelta(seconds=current_app.config["SKILLPATH_CONSOLE_SESSION_TTL"])


@blp.errorhandler(HTTPException)
def error_page(error: HTTPException):
    """Answer a console error as a plain page, not problem+json."""
    db.session.rollback()
    return render_template("ui/error.html", error=error), error.code or 500
