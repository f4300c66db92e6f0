"""API keys: created with a secret shown once, authenticated by its hash, revoked."""

from __future__ import annotations

import pytest

from catalog.api_keys import (
    KEY_PREFIX,
    authenticate,
    create_api_key,
    hash_secret,
    list_api_keys,
    revoke_api_key,
)
from catalog.errors import NotFoundError


def test_only_the_hash_of_the_secret_is_stored(session):
    key, secret = create_api_key(session=session, name="lxp", scopes=["recommend", "recommend"])
    assert secret.startswith(KEY_PREFIX) and key.prefix == secret[:10]
    assert key.secret_hash == hash_secret(secret) != secret
    assert key.scopes == ["recommend"]


@pytest.mark.parametrize(
    ("presented", "revoked", "known"),
    [("secret", False, True), ("secret", True, False), ("other", False, False)],
)
def test_authentication(session, presented, revoked, known):
    key, secret = create_api_key(session=session, name="hris", scopes=["employees:write"])
    if revoked:
        revoke_api_key(session=session, key_id=key.id)
    found = authenticate(session=session, secret=secret if presented == "secret" else "sk_x")
    assert (found is key) is known


def test_revoking_twice_is_harmless(session):
    key, _ = create_api_key(session=session, name="old", scopes=["admin"])
    first = revoke_api_key(session=session, key_id=key.id).revoked_at
    assert first is not None
    assert revoke_api_key(session=session, key_id=key.id).revoked_at == first


def test_revoking_an_unknown_key_is_not_found(session):
    with pytest.raises(NotFoundError, match="^api key '7' does not exist$"):
        revoke_api_key(session=session, key_id=7)


def test_keys_list_newest_first(session):
    for name in ("a", "b", "c"):
        create_api_key(session=session, name=name, scopes=["recommend"])
    page = list_api_keys(session=session, page=1, page_size=2)
    assert ([key.name for key in page.items], page.total) == (["c", "b"], 3)
