"""What the browser console keeps: sessions, share links to a plan, and the app's own secrets.

Only hashes of bearer values are stored (a session's cookie, the API key it acts as, a share
link's nonce), as for API keys: a copy of the database opens no session and no link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from catalog.employees import get_employee
from catalog.errors import NotFoundError
from catalog.models import AppSecret, ConsoleSession, Employee, ShareLink, utcnow


def digest(value: str) -> str:
    """Return the hex SHA-256 of a bearer value, as it is stored."""
    return hashlib.sha256(value.encode()).hexdigest()


# -- sessions ------------------------------------------------------------------------------------


def open_session(
    *, session: Session, key_hash: str, lifetime: dt.timedelta
) -> tuple[ConsoleSession, str]:
    """Open a console session acting as the key with ``key_hash``; return it and its cookie.

    Sessions past their expiry are removed on the way, so the table holds live ones only.
    """
    now = utcnow()
    session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
    cookie = secrets.token_urlsafe(32)
    row = ConsoleSession(
        id_hash=digest(cookie),
        key_hash=key_hash,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return row, cookie


def live_session(*, session: Session, cookie: str) -> ConsoleSession | None:
    """Return the unexpired session whose cookie this is, or None."""
    row = session.get(ConsoleSession, digest(cookie))
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def close_session(*, session: Session, cookie: str) -> None:
    """End the session whose cookie this is (nothing happens if there is none)."""
    session.execute(delete(ConsoleSession).where(ConsoleSession.id_hash == digest(cookie)))


# -- share links --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkState:
    """What a share link's token leads to: the employee, or why it leads nowhere now."""

    employee_id: str | None
    gone: str | None  # "revoked" or "expired" when the link no longer opens


def create_share_link(
    *, session: Session, employee_id: str, created_by: str, expires_at: dt.datetime
) -> tuple[ShareLink, str]:
    """Create a share link to an employee's plan; return it and its nonce (shown once).

    :raise NotFoundError: there is no such employee.
    """

    if get_employee(session=session, employee_id=employee_id) is None:
        raise NotFoundError("employee", employee_id)
    nonce = secrets.token_urlsafe(24)
    link = ShareLink(
        id=str(uuid.uuid4()),
        employee_id=employee_id,
        nonce_hash=digest(nonce),
        created_by=created_by,
        created_at=utcnow(),
        expires_at=expires_at,
    )
    session.add(link)
    session.flush()
    return link, nonce


def revoke_share_link(*, session: Session, employee_id: str, link_id: str) -> ShareLink:
    """Revoke one of an employee's share links; revoking twice is harmless.

    :raise NotFoundError: the employee has no such link.
    """
    link = session.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.employee_id == employee_id)
    )
    if link is None:
        raise NotFoundError("share link", link_id)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
    session.flush()
    return link


def open_share_link(*, session: Session, link_id: str, nonce: str) -> LinkState:
    """Tell whose plan a share link shows, or that it is revoked, expired or unknown."""
    link = session.get(ShareLink, link_id)
    if link is None or not secrets.compare_digest(link.nonce_hash, digest(nonce)):
        # Erasing the employee erases their links: such a link is gone, not forged.
        return LinkState(None, "revoked")
    if link.revoked_at is not None:
        return LinkState(None, "revoked")
    if link.expires_at <= utcnow():
        return LinkState(None, "expired")
    return LinkState(link.employee_id, None)


# -- the app's own secrets ------------------------------------------------------------------------


def app_secret(*, session: Session, name: str) -> str:
    """Return the secret ``name``, generating and keeping it the first time it is asked for.

    Every worker and host reads the same row, so what one signs the others can check; two
    generating it at once both end up with the one that was stored first.
    """
    row = session.get(AppSecret, name)
    if row is not None:
        return row.value
    try:
        with session.begin_nested():
            session.add(AppSecret(name=name, value=secrets.token_urlsafe(48), created_at=utcnow()))
    except IntegrityError:
        pass
    return session.scalars(select(AppSecret.value).where(AppSecret.name == name)).one()


def teams(*, session: Session) -> list[str]:
    """Return the teams employees belong to, by name, for the console's team pickers."""
    query = select(Employee.team).where(Employee.team.is_not(None)).distinct()
    return sorted(session.scalars(query))
