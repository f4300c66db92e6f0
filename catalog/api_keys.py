"""API keys: only the SHA-256 of a secret is stored, and the secret is shown once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog.errors import NotFoundError
from catalog.models import ApiKey, utcnow
from catalog.queries import Page, changed_since, paginate
from catalog.version import bump_credentials_version

KEY_PREFIX = "sk_"


def hash_secret(secret: str) -> str:
    """Return the hex SHA-256 of an API key secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_api_key(*, session: Session, name: str, scopes: Sequence[str]) -> tuple[ApiKey, str]:
    """Create an API key; the secret is returned once and only its hash is stored."""
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name, prefix=secret[:10], secret_hash=hash_secret(secret), scopes=sorted(set(scopes))
    )
    session.add(key)
    session.flush()
    return key, secret


def authenticate(*, session: Session, secret: str) -> ApiKey | None:
    """Return the live API key whose secret this is, or None."""
    return key_for_hash(session=session, digest=hash_secret(secret))


def key_for_hash(*, session: Session, digest: str) -> ApiKey | None:
    """Return the live API key whose secret has this SHA-256 (hex), or None."""
    key = session.scalar(select(ApiKey).where(ApiKey.secret_hash == digest))
    if key is None or key.revoked_at is not None:
        return None
    # The lookup is by hash already; compare again in constant time so no branch depends on
    # how much of a guessed hash matched.
    return key if hmac.compare_digest(key.secret_hash, digest) else None


def list_api_keys(
    *,
    session: Session,
    page: int,
    page_size: int,
    updated_since: dt.datetime | None = None,
    after_id: int | None = None,
) -> Page[ApiKey]:
    """List API keys, newest first, or those changed since a time in the order they changed.

    Secrets are never stored, so never shown.
    """
    query = select(ApiKey).order_by(ApiKey.id.desc())
    query = changed_since(
        query, updated_at=ApiKey.updated_at, key=ApiKey.id, since=updated_since, after=after_id
    )
    return paginate(session, query, page=page, page_size=page_size)


def revoke_api_key(*, session: Session, key_id: int) -> ApiKey:
    """Revoke an API key; revoking twice is harmless.

    :raise NotFoundError: no key has this id.
    """
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFoundError("api key", str(key_id))
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        bump_credentials_version(session=session)  # workers drop the keys they verified
    return key
