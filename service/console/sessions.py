"""Signing in to the console with an API key, signing out, and the home page."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from catalog import console
from catalog.api_keys import hash_secret
from service.console.base import (
    COOKIE,
    SIGN_IN_COOKIE,
    blp,
    caller_for,
    check_csrf,
    safe_next,
    session_lifetime,
    set_cookie,
)
from service.db import db


@blp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Show the sign-in form; open a session for a valid API key."""
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("ui/sign_in.html", next=target)
    # The token in the form must be the one this browser's cookie holds (double submit).
    check_csrf(request.cookies.get(SIGN_IN_COOKIE) or "")
    secret = request.form.get("api_key", "").strip()
    key_hash = hash_secret(secret) if secret else ""
    if not secret or caller_for(key_hash) is None:
        message = "That API key is unknown or revoked."
        return render_template("ui/sign_in.html", next=target, error=message), 401
    row, cookie = console.open_session(
        session=db.session, key_hash=key_hash, lifetime=session_lifetime()
    )
    db.session.commit()
    response = redirect(target, code=303)
    set_cookie(response, COOKIE, cookie, max_age=int(session_lifetime().total_seconds()))
    response.delete_cookie(SIGN_IN_COOKIE, path="/ui")
    return response


@blp.post("/sign-out")
def sign_out():
    """End the session and forget its cookie."""
    console.close_session(session=db.session, cookie=request.cookies[COOKIE])
    db.session.commit()
    response = redirect(url_for("ui.sign_in"), code=303)
    response.delete_cookie(COOKIE, path="/ui", httponly=True, samesite="Strict")
    return response


@blp.get("/")
def home():
    """Show what the signed-in key may do in the console."""
    return render_template("ui/home.html", scopes=sorted(g.caller.scopes))
