"""OAuth 2.0 clients and their access tokens: only SHA-256 hashes of secrets are stored.

A client holds scopes; a token issued to it carries some or all of them and lives a short
while. A token is good only while its client is live, and the check reads the database on
every request, so revoking a client refuses its tokens at once in every worker.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalog.api_keys import hash_secret
from catalog.errors import NotFoundError
from catalog.models import AccessToken, OAuthClient, utcnow
from catalog.queries import Page, changed_since, paginate

CLIENT_ID_PREFIX = "spc_"
# What create_client makes: the prefix and 16 URL-safe characters (12 random bytes).
CLIENT_ID = re.compile(rf"{CLIENT_ID_PREFIX}[A-Za-z0-9_-]{{16}}")
CLIENT_SECRET_PREFIX = "scs_"
TOKEN_PREFIX = "spt_"


def create_client(*, session: Session, name: str, scopes: Sequence[str]) -> tuple[OAuthClient, str]:
    """Create a client; its secret is returned once and only its hash is stored."""
    secret = CLIENT_SECRET_PREFIX + secrets.token_urlsafe(32)
    client = OAuthClient(
        client_id=CLIENT_ID_PREFIX + secrets.token_urlsafe(12),
        name=name,
        secret_hash=hash_secret(secret),
        scopes=sorted(set(scopes)),
    )
    session.add(client)
    session.flush()
    return client, secret


def find_live_client(*, session: Session, client_id: str) -> OAuthClient | None:
    """Return the client ``client_id`` unless it is unknown or revoked."""
    if not CLIENT_ID.fullmatch(client_id):
        # Not an id this module makes: it names no client, and text such as a NUL, which
        # PostgreSQL refuses in any parameter, never reaches the database.
        return None
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None or client.revoked_at is not None:
        return None
    return client


def secret_matches(client: OAuthClient, secret: str) -> bool:
    """Tell, in constant time, whether ``secret`` is the client's secret."""
    return hmac.compare_digest(client.secret_hash, hash_secret(secret))


def issue_token(
    *, session: Session, client: OAuthClient, scopes: Sequence[str], lifetime: dt.timedelta
) -> tuple[AccessToken, str]:
    """Issue an access token carrying ``scopes``; the token is returned once, stored hashed.

    Tokens of this client that have expired are removed on the way, so the table holds
    about as many rows per client as it asks tokens for within one lifetime.
    """
    now = utcnow()
    session.execute(
        delete(AccessToken).where(AccessToken.client_pk == client.id, AccessToken.expires_at < now)
    )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(
        token_hash=hash_secret(secret),
        client_pk=client.id,
        scopes=sorted(set(scopes)),
        issued_at=now,
        expires_at=now + lifetime,
    )
    session.add(token)
    session.flush()
    return token, secret


def authenticate_token(*, session: Session, secret: str) -> AccessToken | None:
    """Return the unexpired token whose secret this is, if its client is live, or None."""
    digest = hash_secret(secret)
    token = session.scalar(select(AccessToken).where(AccessToken.token_hash == digest))
    if token is None or token.expires_at <= utcnow() or token.client.revoked_at is not None:
        return None
    return token if hmac.compare_digest(token.token_hash, digest) else None


def list_clients(
    *,
    session: Session,
    page: int,
    page_size: int,
    updated_since: dt.datetime | None = None,
    after_id: str | None = None,
) -> Page[OAuthClient]:
    """List clients, newest first, or those changed since a time in the order they changed."""
    query = select(OAuthClient).order_by(OAuthClient.id.desc())
    query = changed_since(
        query,
        updated_at=OAuthClient.updated_at,
        key=OAuthClient.client_id,
        since=updated_since,
        after=after_id,
    )
    return paginate(session, query, page=page, page_size=page_size)


def revoke_client(*, session: Session, client_id: str) -> OAuthClient:
    """Revoke a client and with it every token it holds; revoking twice is harmless.

    :raise NotFoundError: no client has this id.
    """
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None:
        raise NotFoundError("OAuth client", client_id)
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        session.execute(delete(AccessToken).where(AccessToken.client_pk == client.id))
    return client
