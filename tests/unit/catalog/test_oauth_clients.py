"""OAuth clients and access tokens: hashed secrets, expiry, revocation, listing by change."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.api_keys import hash_secret
from catalog.errors import NotFoundError
from catalog.models import AccessToken
from catalog.oauth_clients import (
    authenticate_token,
    create_client,
    find_live_client,
    issue_token,
    list_clients,
    revoke_client,
    secret_matches,
)

HOUR = dt.timedelta(hours=1)


def test_only_hashes_are_stored(session):
    client, secret = create_client(session=session, name="lxp", scopes=["recommend"] * 2)
    assert client.secret_hash == hash_secret(secret) and client.scopes == ["recommend"]
    assert secret_matches(client, secret) and not secret_matches(client, secret + "x")
    token, value = issue_token(session=session, client=client, scopes=["recommend"], lifetime=HOUR)
    assert token.token_hash == hash_secret(value) != value


def test_a_token_is_good_until_it_expires_or_its_client_is_revoked(session):
    client, _ = create_client(session=session, name="lxp", scopes=["recommend"])
    token, value = issue_token(session=session, client=client, scopes=["recommend"], lifetime=HOUR)
    assert authenticate_token(session=session, secret=value) is token
    assert authenticate_token(session=session, secret="spt_other") is None
    token.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert authenticate_token(session=session, secret=value) is None
    _, fresh = issue_token(session=session, client=client, scopes=["recommend"], lifetime=HOUR)
    # Issuing cleared the expired token away.
    assert session.query(AccessToken).count() == 1
    revoke_client(session=session, client_id=client.client_id)
    session.flush()
    assert authenticate_token(session=session, secret=fresh) is None
    assert find_live_client(session=session, client_id=client.client_id) is None


def test_revoking_an_unknown_client_is_not_found(session):
    with pytest.raises(NotFoundError):
        revoke_client(session=session, client_id="spc_nobody")


def test_clients_list_newest_first_or_by_change(session):
    made = [create_client(session=session, name=n, scopes=["recommend"])[0] for n in "abc"]
    session.flush()
    assert [c.name for c in list_clients(session=session, page=1, page_size=5).items] == list("cba")
    made[0].name = "a2"  # changed last
    session.flush()
    since = min(c.updated_at for c in made) - dt.timedelta(seconds=1)
    changed = list_clients(session=session, page=1, page_size=5, updated_since=since).items
    assert [c.name for c in changed] == ["b", "c", "a2"]
