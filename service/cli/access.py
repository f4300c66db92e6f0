"""``skillpath keys`` and ``skillpath oauth-clients``: credentials from the command line."""

from __future__ import annotations

import sys

import click

from service.cli.base import cli, new_session, scopes_named, scopes_option, when, with_app


@cli.group("keys")
def keys_group() -> None:
    """API keys."""


@keys_group.command("create")
@click.option("--name", required=True, help="Who the key is for.")
@scopes_option
@with_app
def keys_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create an API key and print its secret alone on the last line."""
    from catalog.api_keys import create_api_key

    wanted = scopes_named(scopes)
    with new_session(write=True) as session:
        key, secret = create_api_key(session=session, name=name, scopes=wanted)
        session.commit()
        click.echo(f"created key {key.id} ({key.name}) with scopes {', '.join(key.scopes)}")
    click.echo(secret)


@keys_group.command("list")
@with_app
def keys_list() -> None:
    """List API keys, newest first (secrets are never stored)."""
    from catalog.api_keys import list_api_keys

    with new_session(write=False) as session:
        keys = list_api_keys(session=session, page=1, page_size=sys.maxsize).items
        click.echo(f"{'ID':>5}  {'PREFIX':<10}  {'CREATED':<16}  {'REVOKED':<16}  NAME (SCOPES)")
        for key in keys:
            click.echo(
                f"{key.id:>5}  {key.prefix:<10}  {when(key.created_at):<16}  "
                f"{when(key.revoked_at):<16}  {key.name} ({', '.join(key.scopes)})"
            )


@keys_group.command("revoke")
@click.argument("key_id", metavar="ID", type=click.IntRange(min=1))
@with_app
def keys_revoke(key_id: int) -> None:
    """Revoke the API key ID at once (revoking twice is harmless)."""
    from catalog.api_keys import revoke_api_key
    from catalog.errors import NotFoundError

    with new_session(write=True) as session:
        try:
            key = revoke_api_key(session=session, key_id=key_id)
        except NotFoundError:
            raise click.BadParameter(f"there is no API key {key_id}", param_hint="ID") from None
        session.commit()
        click.echo(f"revoked key {key.id} ({key.name})")


@cli.group("oauth-clients")
def oauth_clients_group() -> None:
    """OAuth 2.0 clients (client credentials grant at /oauth/token)."""


@oauth_clients_group.command("create")
@click.option("--name", required=True, help="Who the client is for.")
@scopes_option
@with_app
def oauth_clients_create(name: str, scopes: tuple[str, ...]) -> None:
    """Create an OAuth client: its id, then its secret alone on the last line."""
    from catalog.oauth_clients import create_client

    wanted = scopes_named(scopes)
    with new_session(write=True) as session:
        client, secret = create_client(session=session, name=name, scopes=wanted)
        session.commit()
        click.echo(f"created client {client.client_id} ({name}) with scopes {', '.join(wanted)}")
    click.echo(secret)


@oauth_clients_group.command("list")
@with_app
def oauth_clients_list() -> None:
    """List OAuth clients, newest first (secrets are never stored)."""
    from catalog.oauth_clients import list_clients

    with new_session(write=False) as session:
        clients = list_clients(session=session, page=1, page_size=sys.maxsize).items
        click.echo(f"{'CLIENT ID':<20}  {'CREATED':<16}  {'REVOKED':<16}  NAME (SCOPES)")
        for client in clients:
            click.echo(
                f"{client.client_id:<20}  {when(client.created_at):<16}  "
                f"{when(client.revoked_at):<16}  {client.name} ({', '.join(client.scopes)})"
            )


@oauth_clients_group.command("revoke")
@click.argument("client_id")
@with_app
def oauth_clients_revoke(client_id: str) -> None:
    """Revoke an OAuth client and its tokens at once (revoking twice is harmless)."""
    from catalog.errors import NotFoundError
    from catalog.oauth_clients import revoke_client

    with new_session(write=True) as session:
        try:
            client = revoke_client(session=session, client_id=client_id)
        except NotFoundError:
            raise click.BadParameter(
                f"there is no OAuth client {client_id!r}", param_hint="CLIENT_ID"
            ) from None
        session.commit()
        click.echo(f"revoked client {client.client_id} ({client.name})")
