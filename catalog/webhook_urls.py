"""Where a webhook may point: ``https`` to public addresses, or anywhere on allowed hosts.

A URL is checked when a subscription is written and again before every send, on the addresses
its host resolves to then: DNS may answer differently later, and a name that once pointed
outside could be made to point at the service's own network. Every address the name resolves
to must be public, and the sender connects to one of the addresses it checked, never resolving
again in between. Hosts named in ``SKILLPATH_WEBHOOK_ALLOW_HOSTS`` (development receivers,
tests) skip both rules: plain ``http`` and any address.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import urlsplit

from catalog.errors import InvalidCatalogError

Resolver = Callable[[str, int], list[str]]
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeWebhookUrlError(InvalidCatalogError):
    """A webhook URL is malformed, not https, or leads to a private or reserved address."""

    def __init__(self, message: str):
        super().__init__(message, field="url")


@dataclass(frozen=True, slots=True)
class Target:
    """A checked webhook URL: how to connect, and the addresses checked for its host."""

    scheme: str
    host: str
    port: int
    target: str  # the path and query, as the request line sends them
    addresses: tuple[str, ...]


def resolve(host: str, port: int) -> list[str]:
    """Return every address ``host`` resolves to, in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: IpAddress) -> bool:
    """Tell whether an address is on the public Internet (not private, loopback, reserved...)."""
    mapped = getattr(address, "ipv4_mapped", None) or getattr(address, "sixtofour", None)
    if mapped is not None:
        return is_public(mapped)
    return address.is_global and not address.is_multicast


def host_list(value: str | Collection[str] | None) -> frozenset[str]:
    """Return allowed host names as the check compares them: lower case, no trailing dot."""
    if not value:
        return frozenset()
    names = value.split(",") if isinstance(value, str) else value
    return frozenset(name.strip().lower().rstrip(".") for name in names if name.strip())


def check_url(url: str, *, allow_hosts: Collection[str], resolver: Resolver = resolve) -> Target:
    """Check that ``url`` may receive webhooks now, and return where to connect.

    :raise UnsafeWebhookUrlError: naming what is wrong and how to put it right.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeWebhookUrlError(f"the URL cannot be parsed ({exc})") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in ("http", "https") or not host:
        raise UnsafeWebhookUrlError("use an https URL with a host name")
    if parts.username is not None or parts.password is not None:
        raise UnsafeWebhookUrlError("leave credentials out of the URL; verify the signature")
    if parts.fragment:
        raise UnsafeWebhookUrlError("leave the #fragment out: it is never sent")
    allowed = host in host_list(allow_hosts)
    if scheme != "https" and not allowed:
        raise UnsafeWebhookUrlError(
            "use https: plain http is taken only for hosts in SKILLPATH_WEBHOOK_ALLOW_HOSTS"
        )
    port = port or (443 if scheme == "https" else 80)
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise UnsafeWebhookUrlError(f"the host {host!r} does not resolve to any address")
    if not allowed:
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%")[0])):
                raise UnsafeWebhookUrlError(
                    f"the host {host!r} resolves to {address}, a private, loopback, link-local "
                    "or reserved address; use a public host (or name it in "
                    "SKILLPATH_WEBHOOK_ALLOW_HOSTS for development)"
                )
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port, target, tuple(addresses))
